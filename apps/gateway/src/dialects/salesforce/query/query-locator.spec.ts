import { createHmac } from 'node:crypto';
import { LocatorState, QueryLocators } from './query-locator';
import { batchSizeOf } from './soql-pages';

const locators = new QueryLocators((data) => createHmac('sha256', 'k'.repeat(32)).update(data).digest('base64url'));
const state: LocatorState = { q: "SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'a-b'", all: false, offset: 2000, totalSize: 2150, snapshot: 42, batch: 2000, now: 1 };

describe('query locators', () => {
  it('round-trips for the client it was issued to, ending in Salesforce’s -<offset>', () => {
    const l = locators.encode('acme', state);
    expect(l.endsWith('-2000')).toBe(true);
    expect(l).not.toContain('/');
    expect(locators.decode('acme', l)).toEqual({ ...state, issued: expect.any(Number) });
  });

  it('expires a locator left unused for the TTL (Salesforce: 15 minutes), counted from its own page', () => {
    let now = 1_000_000;
    const mac = (data: string) => createHmac('sha256', 'k'.repeat(32)).update(data).digest('base64url');
    const timed = new QueryLocators(mac, 15 * 60_000, () => now);
    const l = timed.encode('acme', { ...state, now: 0 });
    now += 15 * 60_000;
    expect(timed.decode('acme', l)?.offset).toBe(2000);
    now += 1;
    expect(timed.decode('acme', l)).toBeUndefined();
  });

  it('refuses another client, a tampered payload or offset, and garbage', () => {
    const l = locators.encode('acme', state);
    expect(locators.decode('globex', l)).toBeUndefined();
    expect(locators.decode('acme', l.replace(/-2000$/, '-0'))).toBeUndefined();
    const tampered = Buffer.from(JSON.stringify({ ...state, offset: 0 })).toString('base64url') + l.slice(l.indexOf('.'));
    expect(locators.decode('acme', tampered)).toBeUndefined();
    expect(locators.decode('acme', '01gD0000002HU6KIAW-2000')).toBeUndefined();
  });
});

describe('Sforce-Query-Options batchSize', () => {
  it.each([
    [undefined, 2000],
    ['batchSize=500', 500],
    ['batchsize = 1000', 1000],
    ['batchSize=10', 200],
    ['batchSize=99999', 2000],
    ['batchSize=abc', 2000],
  ])('%s → %d', (header, size) => {
    expect(batchSizeOf(header)).toBe(size);
  });
});
