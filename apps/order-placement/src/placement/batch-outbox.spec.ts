import { ExchangeRole } from '@asyncops/contracts';
import { BatchOutbox } from './batch-outbox';

const message = (n: number) => ({ exchange: ExchangeRole.Events, routingKey: `test.${n}`, body: { n } });

describe('BatchOutbox', () => {
  it('writes nothing until flushed, then everything in one call in the order added', async () => {
    const calls: unknown[][] = [];
    const outbox = new BatchOutbox({ add: async (...ms) => void calls.push(ms), addHeldBack: async () => undefined });
    await outbox.add(message(1));
    await outbox.add(message(2), message(3));
    expect(calls).toHaveLength(0);
    await outbox.flush();
    expect(calls).toEqual([[message(1), message(2), message(3)]]);
  });

  it('drops what was added after a savepoint that is rolled back, and keeps adding after it', async () => {
    const calls: unknown[][] = [];
    const outbox = new BatchOutbox({ add: async (...ms) => void calls.push(ms), addHeldBack: async () => undefined });
    await outbox.add(message(1));
    const mark = outbox.savepoint();
    await outbox.add(message(2), message(3));
    outbox.rollbackTo(mark);
    await outbox.add(message(4));
    await outbox.flush();
    expect(calls).toEqual([[message(1), message(4)]]);
  });

  it('keeps held-back messages in their place, each run of the same hold-back in one call', async () => {
    const calls: Array<[number | null, unknown[]]> = [];
    const outbox = new BatchOutbox({ add: async (...ms) => void calls.push([null, ms]), addHeldBack: async (delayMs, ...ms) => void calls.push([delayMs, ms]) });
    await outbox.add(message(1), message(2));
    await outbox.addHeldBack(2000, message(3));
    const mark = outbox.savepoint();
    await outbox.addHeldBack(2000, message(4));
    outbox.rollbackTo(mark);
    await outbox.add(message(5));
    await outbox.flush();
    expect(calls).toEqual([
      [null, [message(1), message(2)]],
      [2000, [message(3)]],
      [null, [message(5)]],
    ]);
  });
});
