import { createHmac } from 'node:crypto';
import { LocatorState, QueryLocators } from './query-locator';
import { batchSizeOf } from './query.controller';

const locators = new QueryLocators((data) => createHmac('sha256', 'k'.repeat(32)).update(data).digest('base64url'));
const state: LocatorState = { q: "SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'a-b'", all: false, offset: 2000, totalSize: 2150, snapshot: 42, batch: 2000, now: 1 };

describe('query locators', () => {
  it('round-trips for the client it was issued to, ending in Salesforce’s -<offset>', () => {
    const l = locators.encode('acme', state);
    expect(l.endsWith('-2000')).toBe(true);
    expect(l).not.toContain('/');
    expect(locators.decode('acme', l)).toEqual(state);
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
