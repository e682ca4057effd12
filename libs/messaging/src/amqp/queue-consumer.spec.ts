import type { ConsumeMessage } from 'amqplib';
import { ExchangeRole } from '@asyncops/contracts';
import { isFinalAttempt } from './queue-consumer';

const delivery = (redelivered: boolean) => ({ fields: { redelivered } }) as Pick<ConsumeMessage, 'fields'>;
const bindings = [{ exchange: ExchangeRole.Commands, pattern: 'tracker.rpc.*' }];

describe('isFinalAttempt', () => {
  it('counts the deliveries of a quorum queue up to its delivery limit', () => {
    const queue = { name: 'tracker.events', bindings };
    expect(isFinalAttempt(queue, delivery(true), 3, 4)).toBe(false);
    expect(isFinalAttempt(queue, delivery(true), 4, 4)).toBe(true);
  });

  it('makes every delivery of a read its last attempt', () => {
    expect(isFinalAttempt({ name: 'tracker.reads', bindings, requests: true, reads: true }, delivery(false), 1, 4)).toBe(true);
  });

  it('gives a changing request on a classic queue one more attempt, and answers its redelivery with the failure', () => {
    // Classic queues set no x-delivery-count: the attempt number stays 1 however often it is requeued.
    const queue = { name: 'tracker.requests', bindings, requests: true, classic: true };
    expect(isFinalAttempt(queue, delivery(false), 1, 4)).toBe(false);
    expect(isFinalAttempt(queue, delivery(true), 1, 4)).toBe(true);
  });
});
