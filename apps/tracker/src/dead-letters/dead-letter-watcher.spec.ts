import { describeDeadLetter, workSource } from './dead-letter-watcher';

const letter = (headers: Record<string, unknown>, body?: unknown) => ({ headers, body });

describe('workSource: which dead letters may fail an operation', () => {
  it('names the producer of a lifecycle event, and its owner when the payload has one', () => {
    expect(workSource('operation.items-progressed', letter({ 'x-producer': 'importer' }, { operationId: 'x' }))).toEqual({ producer: 'importer' });
    expect(workSource('operation.submitted', letter({ 'x-producer': 'shop' }, { ownerId: 'client-a' }))).toEqual({ producer: 'shop', ownerId: 'client-a' });
    expect(workSource('operation.finished', letter({ 'x-producer': 'shop', 'x-owner-id': 'client-b' }, {}))).toEqual({ producer: 'shop', ownerId: 'client-b' });
  });

  it("names the producer of a work command sent by the service it belongs to", () => {
    expect(workSource('order-placement.cmd.place-batch', letter({ 'x-producer': 'order-placement' }))).toEqual({ producer: 'order-placement' });
    expect(workSource('importer.cmd.import-batch', letter({ 'x-producer': 'importer' }))).toEqual({ producer: 'importer' });
  });

  it("refuses a work command published by anyone but the service it belongs to", () => {
    expect(workSource('importer.cmd.import-batch', letter({ 'x-producer': 'gateway' }))).toBeUndefined();
  });

  it.each([
    ['an RPC request', 'tracker.rpc.get-operation', { 'x-producer': 'gateway' }],
    ['an RPC request to a producer', 'order-placement.rpc.place-cart', { 'x-producer': 'gateway' }],
    ['a tracker notification', 'tracker.operation.changed', { 'x-producer': 'tracker' }],
    ['a business event', 'order.placed', { 'x-producer': 'order-placement' }],
    ['a lifecycle event without a producer', 'operation.finished', {}],
    ['a work command without a producer', 'order-placement.cmd.place-batch', {}],
  ])('ignores %s', (_what, key, headers) => {
    expect(workSource(key, letter(headers, { operationId: 'x' }))).toBeUndefined();
  });
});

describe('describeDeadLetter', () => {
  it("quotes the handler's last error", () => {
    const m = { routingKey: 'k', headers: { 'x-last-error': 'boom (after 5 attempts)', 'x-original-routing-key': 'importer.cmd.import-batch' } };
    expect(describeDeadLetter(m as never)).toBe('message importer.cmd.import-batch could not be processed: boom (after 5 attempts)');
  });
});
