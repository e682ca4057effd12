import { ExchangeRole, Headers, ItemFailure, MAX_ITEM_FAILURES_PER_EVENT, OperationEvents, validateMessage } from '@asyncops/contracts';
import type { OutgoingMessage } from '../amqp/publisher';
import { lifecycleMessageId, ProgressReporter } from './progress-reporter';

const operationId = '3f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function recordingOutbox(): { outbox: { add: (...m: OutgoingMessage[]) => Promise<void> }; messages: OutgoingMessage[] } {
  const messages: OutgoingMessage[] = [];
  return { outbox: { add: async (...m: OutgoingMessage[]) => void messages.push(...m) }, messages };
}

const failures = (n: number): ItemFailure[] => Array.from({ length: n }, (_, i) => ({ itemKey: `CODE-${i}`, row: i + 2, reason: 'duplicate code' }));

describe('ProgressReporter', () => {
  it('splits 2,500 failures into 3 items-progressed events, none over the contract limit, none lost', async () => {
    const { outbox, messages } = recordingOutbox();
    const all = failures(2500);
    await new ProgressReporter(outbox, operationId, null).progressed(40, all, 3000);
    expect(messages).toHaveLength(3);
    const bodies = messages.map((m) => m.body as { succeeded: number; failed: number; failures: ItemFailure[]; totalJobItems: number });
    expect(bodies.map((b) => b.failed)).toEqual([1000, 1000, 500]);
    expect(bodies.map((b) => b.succeeded)).toEqual([40, 0, 0]);
    expect(bodies.every((b) => b.failures.length <= MAX_ITEM_FAILURES_PER_EVENT && b.totalJobItems === 3000)).toBe(true);
    expect(bodies.flatMap((b) => b.failures)).toEqual(all);
    for (const m of messages) {
      expect(m.routingKey).toBe(OperationEvents.ItemsProgressed);
      expect(m.exchange).toBe(ExchangeRole.Events);
      expect(validateMessage(OperationEvents.ItemsProgressed, m.body).ok).toBe(true);
    }
  });

  it('gives every event a distinct UUID-shaped id that is the same when the same events are written again', async () => {
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-03-01T10:00:00.000Z'));
    try {
      const write = async () => {
        const { outbox, messages } = recordingOutbox();
        const r = new ProgressReporter(outbox, operationId, new Date('2026-03-01T09:59:00.000Z'));
        await r.started({ totalJobItems: 2510 });
        await r.step('processCartItems');
        await r.progressed(10, failures(2500));
        await r.finished({ status: 'CompletedWithFailures', successfulJobItems: 10, failedJobItems: 2500 });
        return messages.map((m) => m.messageId);
      };
      const first = await write();
      const again = await write();
      expect(first).toHaveLength(6);
      expect(again).toEqual(first);
      expect(new Set(first).size).toBe(6);
      expect(first.every((id) => UUID.test(id ?? ''))).toBe(true);
    } finally {
      clock.mockRestore();
    }
  });

  it('derives the id from the event: another operation, time or content gives another id', () => {
    const body = { operationId, occurredAt: '2026-03-01T10:00:00.000Z', succeeded: 1, failed: 0 };
    const id = lifecycleMessageId(OperationEvents.ItemsProgressed, body);
    expect(lifecycleMessageId(OperationEvents.ItemsProgressed, { ...body })).toBe(id);
    expect(lifecycleMessageId(OperationEvents.ItemsProgressed, { ...body, operationId: '5b0c7c1e-8a40-4d52-9a43-4f0a8e1f2c11' })).not.toBe(id);
    expect(lifecycleMessageId(OperationEvents.ItemsProgressed, { ...body, occurredAt: '2026-03-01T10:00:00.001Z' })).not.toBe(id);
    expect(lifecycleMessageId(OperationEvents.ItemsProgressed, { ...body, succeeded: 2 })).not.toBe(id);
    expect(lifecycleMessageId(OperationEvents.Finished, body)).not.toBe(id);
  });

  it('stamps events with strictly increasing times, continuing after the last batch', async () => {
    const { outbox, messages } = recordingOutbox();
    const future = new Date(Date.now() + 60_000);
    const r = new ProgressReporter(outbox, operationId, future);
    await r.step('checkForInvalidItems');
    await r.step('retrieveCartItems');
    await r.progressed(200, failures(1001));
    const times = messages.map((m) => Date.parse((m.body as { occurredAt: string }).occurredAt));
    expect(times).toEqual([1, 2, 3, 4].map((i) => future.getTime() + i));
    expect(r.lastReportedAt.getTime()).toBe(times[3]);
    expect(messages.map((m) => m.routingKey)).toEqual([
      OperationEvents.StepChanged,
      OperationEvents.StepChanged,
      OperationEvents.ItemsProgressed,
      OperationEvents.ItemsProgressed,
    ]);
  });

  it('writes one event for progress without failures and nothing when there is nothing to report', async () => {
    const { outbox, messages } = recordingOutbox();
    const r = new ProgressReporter(outbox, operationId, null);
    await r.progressed(0);
    await r.progressed(0, []);
    expect(messages).toHaveLength(0);
    await r.progressed(0, [], 50);
    await r.progressed(7);
    expect(messages.map((m) => m.body)).toEqual([
      expect.objectContaining({ succeeded: 0, failed: 0, totalJobItems: 50 }),
      expect.objectContaining({ succeeded: 7, failed: 0 }),
    ]);
    expect(messages[1].body as object).not.toHaveProperty('failures');
  });

  it('sends a child operation in its parent lane and writes valid started and finished events', async () => {
    const { outbox, messages } = recordingOutbox();
    const parent = '5b0c7c1e-8a40-4d52-9a43-4f0a8e1f2c11';
    const r = new ProgressReporter(outbox, operationId, null, { laneOperationId: parent });
    await r.started({ stepName: 'ImportRows' });
    await r.finished({ status: 'Failure', message: 'pricing failed', errors: [{ key: 'PRICING', message: 'pricing failed' }] });
    expect(messages.map((m) => m.headers)).toEqual([{ [Headers.OperationId]: parent }, { [Headers.OperationId]: parent }]);
    expect(messages[0].body).toEqual({ operationId, occurredAt: expect.any(String), stepName: 'ImportRows' });
    expect(validateMessage(OperationEvents.Started, messages[0].body).ok).toBe(true);
    expect(validateMessage(OperationEvents.Finished, messages[1].body).ok).toBe(true);
  });
});
