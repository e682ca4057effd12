import { Headers, OperationEvents, OperationSubmitted } from '@asyncops/contracts';
import type { OutboxWriter } from './outbox';
import { announceSubmitted, SUBMITTED_COPY_DELAY_MS } from './submitted-job';

function recordingOutbox(): { outbox: OutboxWriter; written: Array<[string, unknown, Record<string, unknown> | undefined, { delayMs?: number } | undefined]> } {
  const written: Array<[string, unknown, Record<string, unknown> | undefined, { delayMs?: number } | undefined]> = [];
  const outbox = {
    addEvent: async (key: string, payload: unknown, headers?: Record<string, unknown>, options?: { delayMs?: number }) => void written.push([key, payload, headers, options]),
  } as unknown as OutboxWriter;
  return { outbox, written };
}

const parent: OperationSubmitted = {
  operationId: '5b0a7c36-3f0e-4a8e-9d1c-0c9e6f2b7a11',
  occurredAt: '2026-12-01T10:00:00.000Z',
  ownerId: 'client-1',
  jobType: 'PlaceOrder',
  producer: 'order-placement',
};

describe('announceSubmitted', () => {
  it('writes the operation.submitted it returns, held back while the caller records its own copy', async () => {
    const { outbox, written } = recordingOutbox();
    const job = await announceSubmitted(outbox, parent);
    expect(job).toEqual({ operation: parent });
    expect(written).toEqual([[OperationEvents.Submitted, parent, {}, { delayMs: SUBMITTED_COPY_DELAY_MS }]]);
  });

  it("writes the children after their parent, in the parent's lane, and returns them all", async () => {
    const { outbox, written } = recordingOutbox();
    const child = { ...parent, operationId: 'ecf014f5-5cee-446d-9391-c78f67c02f70', jobType: 'PlaceOrderPriceAsync', parentOperationId: parent.operationId, totalJobItems: 2 };
    const job = await announceSubmitted(outbox, parent, [child]);
    expect(job).toEqual({ operation: parent, children: [child] });
    expect(written).toEqual([
      [OperationEvents.Submitted, parent, {}, { delayMs: SUBMITTED_COPY_DELAY_MS }],
      [OperationEvents.Submitted, child, { [Headers.OperationId]: parent.operationId }, { delayMs: SUBMITTED_COPY_DELAY_MS }],
    ]);
  });
});
