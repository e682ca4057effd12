import { randomUUID } from 'node:crypto';
import { ASYNC_ACTION_TYPES, JOB_TYPES, OPERATION_STATUSES, TERMINAL_STATUSES } from '@asyncops/domain';
import { MAX_ITEM_FAILURES_PER_EVENT, OPERATION_EVENTS_PATTERN, OPERATION_JOB_TYPES, OperationEvents, TRACKER_RPC_PATTERN, TrackerEvents, TrackerRpc, topicMatches, validateMessage } from './index';

describe('topicMatches', () => {
  it.each([
    ['operation.*', 'operation.started', true],
    ['operation.*', 'operation.step-changed', true],
    ['operation.*', 'operation', false],
    ['operation.*', 'operation.a.b', false],
    ['operation.*', 'tracker.operation.changed', false],
    ['operation.#', 'operation.a.b', true],
    ['operation.#', 'operation', true],
    ['#', 'anything.at.all', true],
    ['tracker.rpc.*', 'tracker.rpc.get-operation', true],
  ])('%s ~ %s is %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});

describe('routing key patterns', () => {
  it('the lifecycle pattern is `operation.*`', () => {
    expect(OPERATION_EVENTS_PATTERN).toBe('operation.*');
    expect(TRACKER_RPC_PATTERN).toBe('tracker.rpc.*');
  });

  it.each(Object.values(OperationEvents))('lifecycle key %s is one word after `operation.` and matches the pattern', (key) => {
    expect(key).toMatch(/^operation\.[^.*#]+$/);
    expect(topicMatches(OPERATION_EVENTS_PATTERN, key)).toBe(true);
    expect(topicMatches(TRACKER_RPC_PATTERN, key)).toBe(false);
  });

  it.each(Object.values(TrackerRpc))('RPC key %s matches the tracker RPC pattern only', (key) => {
    expect(topicMatches(TRACKER_RPC_PATTERN, key)).toBe(true);
    expect(topicMatches(OPERATION_EVENTS_PATTERN, key)).toBe(false);
  });

  it.each(Object.values(TrackerEvents))('tracker event %s is not consumed by the tracker itself', (key) => {
    expect(topicMatches(OPERATION_EVENTS_PATTERN, key)).toBe(false);
    expect(topicMatches(TRACKER_RPC_PATTERN, key)).toBe(false);
  });
});

const base = () => ({ operationId: randomUUID(), occurredAt: '2024-05-01T10:00:00Z' });

describe('OperationSubmitted', () => {
  const submitted = (jobType: unknown) => ({ ...base(), ownerId: 'client-1', producer: 'importer', jobType });

  it('OPERATION_JOB_TYPES holds every Salesforce JobType and every Voucherify async action type', () => {
    expect([...OPERATION_JOB_TYPES].sort()).toEqual([...JOB_TYPES, ...ASYNC_ACTION_TYPES].sort());
  });

  it.each(OPERATION_JOB_TYPES)('accepts jobType %s', (jobType) => {
    expect(validateMessage(OperationEvents.Submitted, submitted(jobType)).ok).toBe(true);
  });

  it.each(['NotAJob', 'placeorder', 'vouchers.import', '', 42])('rejects jobType %p', (jobType) => {
    const outcome = validateMessage(OperationEvents.Submitted, submitted(jobType));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors).toEqual([expect.stringMatching(/^jobType: isIn: jobType must be one of the following values: /)]);
  });

  it('rejects a non-strict ISO date and a parent id that is not a UUID', () => {
    const outcome = validateMessage(OperationEvents.Submitted, { ...submitted('PlaceOrder'), occurredAt: '2024-02-30T10:00:00Z', parentOperationId: '42' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.errors.some((e) => e.startsWith('occurredAt: isIso8601: '))).toBe(true);
      expect(outcome.errors.some((e) => e.startsWith('parentOperationId: isUuid: '))).toBe(true);
    }
  });
});

describe('OperationFinished', () => {
  it.each(TERMINAL_STATUSES)('accepts terminal status %s', (status) => {
    expect(validateMessage(OperationEvents.Finished, { ...base(), status }).ok).toBe(true);
  });

  const nonTerminal = OPERATION_STATUSES.filter((s) => !(TERMINAL_STATUSES as readonly string[]).includes(s));
  it.each([...nonTerminal, 'completed', 'DONE'])('rejects status %s, which is not terminal', (status) => {
    const outcome = validateMessage(OperationEvents.Finished, { ...base(), status });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors).toEqual([expect.stringMatching(/^status: isIn: /)]);
  });

  it('checks each error detail', () => {
    const outcome = validateMessage(OperationEvents.Finished, { ...base(), status: 'Failure', errors: [{ message: 'ok' }, { details: 'no message' }] });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors.every((e) => e.startsWith('errors.1.message: '))).toBe(true);
  });
});

describe('OperationItemsProgressed failures', () => {
  const progressed = (failures: unknown) => ({ ...base(), succeeded: 1, failed: 1, failures });

  it('accepts item failures with optional key, row and details', () => {
    const outcome = validateMessage(OperationEvents.ItemsProgressed, progressed([{ reason: 'r' }, { itemKey: 'CODE-1', row: 1, reason: 'dup', details: { code: 'CODE-1' } }]));
    expect(outcome.ok).toBe(true);
  });

  it('names failures.0.reason when the first failure has no reason', () => {
    const outcome = validateMessage(OperationEvents.ItemsProgressed, progressed([{ itemKey: 'CODE-1' }]));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.errors).toContain('failures.0.reason: isString: reason must be a string');
      expect(outcome.errors.every((e) => e.startsWith('failures.0.reason: '))).toBe(true);
    }
  });

  it.each([
    [[{ reason: 'ok' }, { reason: 'x', row: 0 }], 'failures.1.row: min: '],
    [[{ reason: 'x', row: '3' }], 'failures.0.row: isInt: '],
    [[{ reason: 'x', details: 'text' }], 'failures.0.details: isObject: '],
    [[{ reason: 'x', itemKey: '' }], 'failures.0.itemKey: isLength: '],
    [[{ reason: 'x'.repeat(2001) }], 'failures.0.reason: isLength: '],
    [[{ reason: 'x', extra: 1 }], 'failures.0.extra: whitelistValidation: '],
  ])('rejects %j with %s', (failures, prefix) => {
    const outcome = validateMessage(OperationEvents.ItemsProgressed, progressed(failures));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors.some((e) => e.startsWith(prefix))).toBe(true);
  });

  it(`caps one event at ${MAX_ITEM_FAILURES_PER_EVENT} failures`, () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ row: i + 1, reason: 'bad' }));
    expect(validateMessage(OperationEvents.ItemsProgressed, progressed(many(MAX_ITEM_FAILURES_PER_EVENT))).ok).toBe(true);
    const outcome = validateMessage(OperationEvents.ItemsProgressed, progressed(many(MAX_ITEM_FAILURES_PER_EVENT + 1)));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors).toEqual([expect.stringMatching(/^failures: arrayMaxSize: /)]);
  });
});
