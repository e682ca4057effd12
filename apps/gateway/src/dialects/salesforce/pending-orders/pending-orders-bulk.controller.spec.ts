import type { Request } from 'express';
import type { IngestOutcome, IngestPendingOrdersRequest, IngestPendingOrdersResult } from '@asyncops/contracts';
import type { GatewayConfig } from '../../../config';
import { FIRST_CHUNK_RECORDS, MAX_CHUNKS_IN_FLIGHT, PendingOrdersBulkController } from './pending-orders-bulk.controller';
import type { PendingOrdersClient } from './pending-orders.client';
import { pendingOrderSummaryId } from './pending-order-summary.record';

const record = (ref: string) => ({
  ExternalReferenceIdentifier: ref,
  OrderNumber: '1',
  OrderedDate: '2026-11-24T10:00:00Z',
  ShopperName: 'Ada',
  BillingEmailAddress: 'ada@example.com',
  GrandTotalAmount: '10.00',
  Payload: '{"orderItems":[]}',
});

/** order-placement as the bulk route sees it: numbers in arrival order, identifiers in `existing` already stored. */
function fakeOrderPlacement(existing: Record<string, number> = {}) {
  const chunks: string[][] = [];
  let inflight = 0;
  let mostInflight = 0;
  let next = 1000;
  const ingest = async (req: IngestPendingOrdersRequest): Promise<IngestPendingOrdersResult> => {
    chunks.push(req.orders.map((o) => o.externalReferenceIdentifier));
    inflight += 1;
    mostInflight = Math.max(mostInflight, inflight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inflight -= 1;
    return {
      outcomes: req.orders.map((o): IngestOutcome => {
        const known = existing[o.externalReferenceIdentifier];
        return known ? { ok: false, errorCode: 'DUPLICATE_VALUE', duplicateOf: { object: 'PendingOrderSummary', number: known } } : { ok: true, number: next++ };
      }),
    };
  };
  return { client: { ingest } as unknown as PendingOrdersClient, chunks, mostInflight: () => mostInflight };
}

const controllerWith = (client: PendingOrdersClient) =>
  new PendingOrdersBulkController(client, { PENDING_ORDER_INFLATE_MAX_BYTES: 1 << 28, PENDING_ORDER_INFLATE_MAX_MS: 10_000 } as GatewayConfig);
const jsonRequest = { is: () => false } as unknown as Request;

describe('PendingOrdersBulkController (chunks of one request)', () => {
  it(`sends a small first chunk, then chunks of 1,000, at most ${MAX_CHUNKS_IN_FLIGHT} being written at once, and answers every record in request order`, async () => {
    const op = fakeOrderPlacement();
    const body = Array.from({ length: 3500 }, (_, i) => record(`r${i}`));
    const { hasErrors, results } = await controllerWith(op.client).ingest(body, jsonRequest, 'client-1');
    expect(hasErrors).toBe(false);
    expect(op.chunks.map((c) => c.length)).toEqual([FIRST_CHUNK_RECORDS, 1000, 1000, 1000, 3500 - FIRST_CHUNK_RECORDS - 3000]);
    expect(op.mostInflight()).toBe(MAX_CHUNKS_IN_FLIGHT);
    expect(results.map((r) => r.index)).toEqual(body.map((_r, i) => i));
    expect(results.every((r) => r.success && r.id)).toBe(true);
  });

  it("never sends a repeat of an identifier within the request: it is the duplicate of its first occurrence's record", async () => {
    const op = fakeOrderPlacement({ stored: 7 });
    const body = [
      ...Array.from({ length: FIRST_CHUNK_RECORDS }, (_, i) => record(`a${i}`)),
      record('late'),
      record('a0'), // a repeat of a record created in the first chunk
      record('stored'),
      record('stored'), // a repeat of a record that was itself a duplicate
      record('late'),
    ];
    const { hasErrors, results } = await controllerWith(op.client).ingest(body, jsonRequest, 'client-1');
    expect(hasErrors).toBe(true);
    expect(op.chunks.flat().filter((ref) => ref === 'a0' || ref === 'stored' || ref === 'late')).toEqual(['a0', 'late', 'stored']);
    const at = (i: number) => results[i];
    const n = FIRST_CHUNK_RECORDS;
    expect(at(n + 1)).toMatchObject({ success: false, errors: [{ errorCode: 'DUPLICATE_VALUE', message: expect.stringContaining(at(0).id as string) }] });
    expect(at(n + 2)).toMatchObject({ success: false, errors: [{ errorCode: 'DUPLICATE_VALUE', message: expect.stringContaining(pendingOrderSummaryId(7)) }] });
    expect({ ...at(n + 3), index: 0 }).toEqual({ ...at(n + 2), index: 0 });
    expect(at(n)).toMatchObject({ success: true });
    expect(at(n + 4)).toMatchObject({ success: false, errors: [{ errorCode: 'DUPLICATE_VALUE', message: expect.stringContaining(at(n).id as string) }] });
  });

  it('fails the request when a chunk cannot be written', async () => {
    const client = { ingest: async () => Promise.reject(new Error('broker away')) } as unknown as PendingOrdersClient;
    await expect(controllerWith(client).ingest([record('x'), record('y')], jsonRequest, 'client-1')).rejects.toThrow('broker away');
  });
});
