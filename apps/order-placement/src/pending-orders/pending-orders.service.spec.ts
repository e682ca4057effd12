import { gzipSync } from 'node:zlib';
import { encodeRecordId, ORDER_SUMMARY_KEY_PREFIX } from '@asyncops/contracts';
import type { EntityManager } from 'typeorm';
import { PendingOrdersService, PendingRow, processedEventOf, triage } from './pending-orders.service';

function pending(overrides: Partial<PendingRow> = {}): PendingRow {
  return {
    number: '7',
    owner_id: 'owner-1',
    external_reference_identifier: 'ext-7',
    order_number: 'ORD-7',
    ordered_date: new Date('2026-11-30T10:00:00Z'),
    shopper_name: '  Ada   Lovelace ',
    billing_email_address: 'Ada@Example.com ',
    billing_phone_number: '+44 (0)20 7946 0000',
    currency_iso_code: 'EUR',
    grand_total_amount: '20.00',
    description: null,
    payload: JSON.stringify({ orderItems: [{ sku: 'A', quantity: 2, unitPrice: '10.00' }] }),
    payload_type: 'JSON_RAW',
    processing_instructions: null,
    sales_channel_id: null,
    sales_store_id: null,
    account_number: null,
    bill_to_contact_number: null,
    created_at: new Date('2026-11-30T10:00:01Z'),
    last_error_code: null,
    last_error_message: null,
    ...overrides,
  };
}

describe('triage of pending records', () => {
  it('converts a record with a readable payload, matched by email unless its instructions say otherwise', async () => {
    const byEmail = pending();
    const byRule = pending({ number: '8', processing_instructions: '{"accountMatching":"MatchingRule"}' });
    const { good, failures, shoppers } = await triage([byEmail, byRule]);
    expect(failures).toEqual([]);
    expect(good.map((c) => [c.row.number, c.matchKey])).toEqual([
      ['7', 'email:ada@example.com'],
      ['8', 'rule:ada lovelace|ada@example.com|4402079460000'],
    ]);
    expect(good[0].lines).toEqual([{ line: 1, sku: 'A', description: null, quantity: '2.0000', unitPrice: '10.00', totalPrice: '20.00' }]);
    expect(shoppers.map((s) => s.matchKey)).toEqual(good.map((c) => c.matchKey));
  });

  it('reads gzipped payloads as the raw ones', async () => {
    const payload = gzipSync(Buffer.from(pending().payload)).toString('base64');
    const { good } = await triage([pending({ payload, payload_type: 'JSON_GZIP' })]);
    expect(good[0].lines).toEqual((await triage([pending()])).good[0].lines);
  });

  it("fails a record whose payload cannot be read, and still matches its shopper's account", async () => {
    const row = pending({ payload: 'not json' });
    const { good, failures, shoppers } = await triage([row]);
    expect(good).toEqual([]);
    expect(failures).toEqual([{ row, matchKey: 'email:ada@example.com', error: expect.objectContaining({ code: 'PAYLOAD_NOT_JSON' }) }]);
    expect(shoppers).toEqual([{ row, matchKey: 'email:ada@example.com' }]);
  });

  it('fails a record without order items, naming the field', async () => {
    const { failures } = await triage([pending({ payload: '{"orderItems":[]}' })]);
    expect(failures[0].error.message).toContain('orderItems');
  });

  it('fails a record whose processing instructions are not JSON, without matching any account', async () => {
    const row = pending({ processing_instructions: '{accountMatching' });
    const { good, failures, shoppers } = await triage([row]);
    expect(good).toEqual([]);
    expect(shoppers).toEqual([]);
    expect(failures).toEqual([{ row, error: expect.objectContaining({ code: 'INVALID_PROCESSING_INSTRUCTIONS' }) }]);
    expect(failures[0]).not.toHaveProperty('matchKey');
  });

  it('lets an unexpected error through rather than recording it as the order\'s fault', async () => {
    const row = pending({ payload: undefined as unknown as string });
    await expect(triage([row])).rejects.toThrow(TypeError);
  });
});

describe('processedEventOf', () => {
  const at = '2026-12-01T00:00:00.000Z';

  it('names the OrderSummary a converted record became', () => {
    const event = processedEventOf('owner-1', { isSuccess: true, orderSummaryNumber: 42, externalReferenceIdentifier: 'ext-7', errorCode: null, errorMessage: null, pending: 7 }, at);
    expect(event).toEqual({
      ownerId: 'owner-1',
      pendingOrderSummaryNumber: 7,
      IsSuccess: true,
      ExternalReferenceIdentifier: 'ext-7',
      processedAt: at,
      OrderSummaryId: encodeRecordId(ORDER_SUMMARY_KEY_PREFIX, 42),
    });
  });

  it('carries the error of a failed attempt and no OrderSummary', () => {
    const event = processedEventOf('owner-1', { isSuccess: false, orderSummaryNumber: null, externalReferenceIdentifier: 'ext-7', errorCode: 'DUPLICATE_VALUE', errorMessage: 'exists', pending: 7 }, at);
    expect(event).toEqual({ ownerId: 'owner-1', pendingOrderSummaryNumber: 7, IsSuccess: false, ExternalReferenceIdentifier: 'ext-7', processedAt: at, ErrorCode: 'DUPLICATE_VALUE', ErrorMessage: 'exists' });
  });
});

describe('account resolution', () => {
  type Account = { number: string; match_key: string; name: string; email: string; phone: string | null; contact: string | null };
  /** A manager over a table of accounts by match key: reads answer from it, the upsert adds the keys it is given. */
  function manager(existing: string[]) {
    const table = new Map<string, Account>(existing.map((k, i) => [k, { number: String(i + 1), match_key: k, name: k, email: k, phone: null, contact: String(100 + i) }]));
    const statements: Array<{ sql: string; keys: string[] }> = [];
    const query = async (sql: string, params: unknown[]) => {
      const keys = params[1] as string[];
      statements.push({ sql: sql.trim().split(/\s+/)[0], keys });
      if (sql.includes('INSERT INTO')) {
        for (const k of keys) if (!table.has(k)) table.set(k, { number: String(table.size + 1), match_key: k, name: k, email: k, phone: null, contact: String(100 + table.size) });
        return [];
      }
      return keys.filter((k) => table.has(k)).map((k) => table.get(k));
    };
    return { m: { query } as unknown as EntityManager, statements };
  }
  const resolve = (m: EntityManager, keys: string[]) =>
    (new PendingOrdersService() as unknown as { resolveAccounts(m: EntityManager, owner: string, items: Array<{ row: PendingRow; matchKey: string }>): Promise<Map<string, { account: number; contact: number }>> }).resolveAccounts(
      m,
      'owner-1',
      keys.map((matchKey) => ({ row: pending(), matchKey })),
    );

  it('reads returning shoppers in one statement, writing nothing', async () => {
    const { m, statements } = manager(['email:a', 'email:b']);
    const out = await resolve(m, ['email:b', 'email:a', 'email:b']);
    expect(statements).toEqual([{ sql: 'SELECT', keys: ['email:b', 'email:a'] }]);
    expect(out).toEqual(new Map([['email:a', { account: 1, contact: 100 }], ['email:b', { account: 2, contact: 101 }]]));
  });

  it('upserts only the shoppers not found, in key order, and reads them back', async () => {
    const { m, statements } = manager(['email:b']);
    const out = await resolve(m, ['email:c', 'email:b', 'email:a']);
    expect(statements).toEqual([
      { sql: 'SELECT', keys: ['email:c', 'email:b', 'email:a'] },
      { sql: 'WITH', keys: ['email:a', 'email:c'] },
      { sql: 'SELECT', keys: ['email:a', 'email:c'] },
    ]);
    expect([...out.keys()].sort()).toEqual(['email:a', 'email:b', 'email:c']);
  });
});
