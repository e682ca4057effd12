import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from '../outbox/outbox';
import type { IncomingMessage } from '../amqp/queue-consumer';

/**
 * What a handler gets beside its payload: the message's metadata and, for services with tables,
 * the transaction it runs in and an outbox bound to that transaction.
 */
export class AmqpContext extends BaseRpcContext<[IncomingMessage, EntityManager | undefined, OutboxWriter | undefined]> {
  get message(): IncomingMessage {
    return this.args[0];
  }
  get routingKey(): string {
    return this.args[0].routingKey;
  }
  get messageId(): string {
    return this.args[0].messageId;
  }
  get manager(): EntityManager {
    const m = this.args[1];
    if (!m) throw new Error('this consumer runs without a database transaction');
    return m;
  }
  get outbox(): OutboxWriter {
    const o = this.args[2];
    if (!o) throw new Error('this consumer runs without an outbox');
    return o;
  }
}
