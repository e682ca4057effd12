import { Injectable } from '@nestjs/common';
import { UnauthorizedSenderError } from '@asyncops/messaging';
import { TrackerConfig } from '../config';
import { parseProducerBrokerUsers, ProducerBrokerUsers } from './producer-broker-users';

/**
 * Decides whether the broker user that published a lifecycle event may speak for a producer.
 * The user is the AMQP `user_id`, which RabbitMQ verifies against the publishing connection.
 * Events without one are accepted only while REQUIRE_BROKER_USER_ID is off (the default, so a
 * producer that does not set it yet keeps working on a developer machine).
 */
@Injectable()
export class ProducerAuthorization {
  private readonly users: ProducerBrokerUsers;

  constructor(private readonly config: TrackerConfig) {
    const { users, problems } = parseProducerBrokerUsers(config.PRODUCER_BROKER_USERS);
    if (!users) throw new Error(problems.join('; '));
    this.users = users;
  }

  /** True when the user may report for every producer: no need to look the operation up. */
  mayReportForAny(brokerUser: string | undefined): boolean {
    if (brokerUser === undefined) return !this.config.REQUIRE_BROKER_USER_ID;
    return this.users.get(brokerUser)?.has('*') ?? false;
  }

  /** Whether some user is limited to named producers (or events without user_id are refused). */
  get restrictsAnyone(): boolean {
    return this.config.REQUIRE_BROKER_USER_ID || [...this.users.values()].some((producers) => !producers.has('*'));
  }

  /** Throws UnauthorizedSenderError (dead-lettered, detached from the operation) when not allowed. */
  check(brokerUser: string | undefined, producer: string, operationId: string): void {
    if (brokerUser === undefined) {
      if (!this.config.REQUIRE_BROKER_USER_ID) return;
      throw new UnauthorizedSenderError(`lifecycle event for operation ${operationId} has no user_id; producers must publish with their broker user`);
    }
    const allowed = this.users.get(brokerUser);
    if (allowed && (allowed.has('*') || allowed.has(producer))) return;
    throw new UnauthorizedSenderError(`broker user "${brokerUser}" may not report for producer "${producer}" (operation ${operationId}); see PRODUCER_BROKER_USERS`);
  }
}
