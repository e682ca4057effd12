import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ExchangeRole, Headers } from '@asyncops/contracts';
import { isUuid } from '@asyncops/domain';
import { AmqpConnection, ConfirmedPublisher, IdempotentExecutor, IncomingMessage, OutboxRelay, OutboxWriter, probeDatabase, QueueConsumer } from '@asyncops/messaging';
import { JsonLogger } from '@asyncops/platform';
import { TRACKER_SCHEMA, TrackerConfig } from '../config';
import { OperationLifecycle } from '../operations/operation-lifecycle';

export const DEAD_LETTER_WATCH_QUEUE = 'tracker.dead-letter-watch';

/**
 * Reads a copy of every dead-lettered message of every service. When the message is work of an
 * operation (a lifecycle event or a work command naming it in x-operation-id) and comes from
 * that operation's own producer (x-producer) and owner, the operation ends in Failure with the
 * reason, so a poison message never leaves its operation hanging. Anything else (RPC requests,
 * other producers' messages, notifications) is ignored. The parking queue keeps the original
 * for operators (`npm run dlq`).
 */
@Injectable()
export class DeadLetterWatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: QueueConsumer;
  private readonly executor: IdempotentExecutor;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly publisher: ConfirmedPublisher,
    private readonly lifecycle: OperationLifecycle,
    private readonly relay: OutboxRelay,
    dataSource: DataSource,
    @Inject(TrackerConfig) private readonly config: TrackerConfig,
    @Inject(JsonLogger) private readonly logger: JsonLogger,
  ) {
    this.executor = new IdempotentExecutor(dataSource, TRACKER_SCHEMA);
    this.dataSource = dataSource;
  }

  private readonly dataSource: DataSource;

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new QueueConsumer(
      this.connection,
      this.publisher,
      {
        queue: { name: DEAD_LETTER_WATCH_QUEUE, bindings: [{ exchange: ExchangeRole.DeadLetter, pattern: '#' }], deadLetter: false },
        concurrency: 4,
        handle: (m) => this.handle(m),
        probe: () => probeDatabase(this.dataSource),
      },
      this.logger.child(DeadLetterWatcher.name),
    );
    await this.consumer.start();
  }

  private async handle(m: IncomingMessage): Promise<void> {
    const operationId = m.headers[Headers.OperationId];
    if (typeof operationId !== 'string' || !isUuid(operationId)) return;
    const routingKey = String(m.headers[Headers.OriginalRoutingKey] ?? m.routingKey);
    const source = workSource(routingKey, m);
    if (!source) {
      this.logger.child(DeadLetterWatcher.name).info({ msg: 'dead letter left alone: not work of an operation', routingKey, operationId, event: 'dead-letter-not-work' });
      return;
    }
    const reason = describeDeadLetter(m);
    const dedupeKey = `${m.messageId}@${String(m.headers[Headers.OriginalQueue] ?? deathQueue(m) ?? '')}`;
    const outcome = await this.executor.run(DEAD_LETTER_WATCH_QUEUE, dedupeKey, (manager) =>
      this.lifecycle.failFromDeadLetter(manager, new OutboxWriter(manager, TRACKER_SCHEMA), operationId, reason, source),
    );
    if (!outcome.duplicate && outcome.result) this.relay.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}

const LIFECYCLE_EVENT = /^operation\.[a-z0-9-]+$/;
/** `<service>.cmd.<name>`: a command a service sends itself (or a worker) to run a part of an operation. */
const WORK_COMMAND = /^([a-z0-9][a-z0-9-]*)\.cmd\.[a-z0-9.-]+$/;

/**
 * Who sent a dead-lettered message, when it is work that may fail an operation: a lifecycle event,
 * or a work command of the service it is addressed to. The producer is the `x-producer` header
 * every publisher of ours sets (external producers set it to their producer name); the owner is
 * the payload's `ownerId` or the `x-owner-id` header when the message names one. RPC requests,
 * notifications and messages without a producer are never work.
 */
export function workSource(routingKey: string, m: Pick<IncomingMessage, 'headers' | 'body'>): { producer: string; ownerId?: string } | undefined {
  const producer = m.headers[Headers.Producer];
  if (typeof producer !== 'string' || !producer) return undefined;
  const command = WORK_COMMAND.exec(routingKey);
  if (command ? command[1] !== producer : !LIFECYCLE_EVENT.test(routingKey)) return undefined;
  const bodyOwner = (m.body as { ownerId?: unknown } | undefined)?.ownerId;
  const owner = typeof bodyOwner === 'string' ? bodyOwner : m.headers['x-owner-id'];
  return typeof owner === 'string' ? { producer, ownerId: owner } : { producer };
}

interface XDeath {
  reason?: string;
  queue?: string;
  count?: number;
}

function deathQueue(m: IncomingMessage): string | undefined {
  return (m.headers['x-death'] as XDeath[] | undefined)?.[0]?.queue;
}

/** The handler's own error when the messaging layer dead-lettered it, else the broker's reason. */
export function describeDeadLetter(m: IncomingMessage): string {
  const key = String(m.headers[Headers.OriginalRoutingKey] ?? m.routingKey);
  const lastError = m.headers[Headers.LastError];
  if (typeof lastError === 'string') return `message ${key} could not be processed: ${lastError}`;
  const death = (m.headers['x-death'] as XDeath[] | undefined)?.[0];
  const why = death?.reason === 'delivery_limit' ? 'delivery limit exceeded' : (death?.reason ?? 'rejected');
  return `message ${key} could not be processed: ${why}${death?.queue ? ` on ${death.queue}` : ''}`;
}
