import { OperationEvents } from '@asyncops/contracts';
import type { OutboxWriter } from '@asyncops/messaging';
import { PlacementReporter } from './placement-reporter';

describe('PlacementReporter', () => {
  it('stamps events with strictly increasing times, continuing after the last batch', async () => {
    const events: Array<{ key: string; body: { occurredAt: string } }> = [];
    const outbox = { addEvent: async (key: string, body: { occurredAt: string }) => void events.push({ key, body }) } as unknown as OutboxWriter;
    const future = new Date(Date.now() + 60_000);
    const r = new PlacementReporter(outbox, '3f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5', future);
    await r.step('checkForInvalidItems');
    await r.step('retrieveCartItems');
    await r.progressed(200);
    const times = events.map((e) => Date.parse(e.body.occurredAt));
    expect(times[0]).toBe(future.getTime() + 1);
    expect(times[1]).toBe(times[0] + 1);
    expect(times[2]).toBe(times[1] + 1);
    expect(r.lastReportedAt.getTime()).toBe(times[2]);
    expect(events.map((e) => e.key)).toEqual([OperationEvents.StepChanged, OperationEvents.StepChanged, OperationEvents.ItemsProgressed]);
  });

  it('reports nothing for an empty progress', async () => {
    const addEvent = jest.fn();
    const r = new PlacementReporter({ addEvent } as unknown as OutboxWriter, '3f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5', null);
    await r.progressed(0);
    expect(addEvent).not.toHaveBeenCalled();
  });
});
