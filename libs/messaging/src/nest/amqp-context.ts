import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from '../outbox/outbox';
import type { IncomingMessage } from '../amqp/queue-consumer';

/**
 * Work the transport runs as the handling of another message of the same queue, once the current
 * message's transaction has committed (see `AmqpContext.continueWith`).
 */
export interface Continuation {
  messageId: string;
  routingKey: string;
  work: (ctx: AmqpContext) => Promise<void>;
}

/**
 * What a handler gets beside its payload: the message's metadata and, for services with tables,
 * the transaction it runs in and an outbox bound to that transaction.
 */
export class AmqpContext extends BaseRpcContext<[IncomingMessage, EntityManager | undefined, OutboxWriter | undefined, ((c: Continuation) => void)?]> {
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

  /**
   * Chains the handling of message `messageId` (one this transaction writes to its outbox, held
   * back with `publish_after`) onto this one: once this transaction commits, this consumer runs
   * `work` at once, in its own deduplicating transaction that records `messageId` as processed and
   * withdraws the message from the outbox if the relay has not sent it yet. A later delivery of it
   * is then a duplicate. Should the work fail, or the process stop or die first, nothing of it
   * commits and the held-back message is delivered as usual once due. The last call wins.
   */
  continueWith(messageId: string, routingKey: string, work: (ctx: AmqpContext) => Promise<void>): void {
    const sink = this.args[3];
    if (!sink) throw new Error('this consumer cannot chain work (event handlers of services with tables only)');
    sink({ messageId, routingKey, work });
  }
}
