import { thrownBy } from '../../../../test/support/thrown';
import { SalesforceApiError } from '../errors/salesforce-error';
import { replicationWindow } from './replication-window';

const now = new Date('2024-05-15T10:20:30.500Z');
const ago = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

const refusal = (kind: 'updated' | 'deleted', start: unknown, end: unknown) => thrownBy(SalesforceApiError, () => replicationWindow(kind, start, end, now));

describe('replication feed windows', () => {
  it('truncates both ends to the minute', () => {
    const w = replicationWindow('updated', '2024-05-15T09:00:59+00:00', '2024-05-15T10:00:45Z', now);
    expect(w.start.toISOString()).toBe('2024-05-15T09:00:00.000Z');
    expect(w.end.toISOString()).toBe('2024-05-15T10:00:00.000Z');
    expect(w.latestDateCovered).toEqual(w.end);
  });

  it('serves a future end up to now and says so', () => {
    const w = replicationWindow('deleted', '2024-05-15T09:00:00Z', '2024-05-16T00:00:00Z', now);
    expect(w.end).toEqual(now);
    expect(w.latestDateCovered).toEqual(now);
  });

  it('accepts 30 days back for updated and 15 for deleted', () => {
    expect(() => replicationWindow('updated', ago(30), now.toISOString(), now)).not.toThrow();
    expect(() => replicationWindow('deleted', ago(15), now.toISOString(), now)).not.toThrow();
  });

  it.each([
    ['updated', ago(31), now.toISOString(), 'INVALID_REPLICATION_DATE', 'more than 30 days ago'],
    ['deleted', ago(16), now.toISOString(), 'INVALID_REPLICATION_DATE', 'more than 15 days ago'],
    ['updated', '2024-05-15T10:00:10Z', '2024-05-15T10:00:50Z', 'INVALID_REPLICATION_DATE', 'by more than one minute'],
    ['updated', '2024-05-15T10:00:00Z', '2024-05-15T09:00:00Z', 'INVALID_REPLICATION_DATE', 'by more than one minute'],
    ['updated', '2024-05-16T10:00:00Z', '2024-05-17T09:00:00Z', 'INVALID_REPLICATION_DATE', 'in the future'],
    ['updated', 'yesterday', now.toISOString(), 'INVALID_REPLICATION_DATE', 'ISO 8601'],
    ['updated', '2024-05-15', now.toISOString(), 'INVALID_REPLICATION_DATE', 'ISO 8601'],
    ['updated', ['2024-05-15T10:00:00Z'], now.toISOString(), 'INVALID_REPLICATION_DATE', 'ISO 8601'],
    ['deleted', undefined, now.toISOString(), 'MISSING_ARGUMENT', 'start'],
    ['deleted', ago(1), '', 'MISSING_ARGUMENT', 'end'],
  ] as const)('%s from %j to %j → %s', (kind, start, end, code, text) => {
    const e = refusal(kind, start, end);
    expect(e.status).toBe(400);
    expect(e.errorCode).toBe(code);
    expect(e.message).toContain(text);
    expect(e.body).toEqual([{ errorCode: code, message: e.message }]);
  });
});
