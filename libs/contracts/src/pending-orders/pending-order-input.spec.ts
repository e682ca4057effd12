import 'reflect-metadata';
import { gzipSync } from 'node:zlib';
import { accountMatchingOf, checkPendingOrderInput, PendingOrderInputError } from './pending-order-input';
import { InflateBudget } from './pending-order-payload';

const valid = {
  ExternalReferenceIdentifier: 'realm_tenant@storesite@0000001',
  OrderNumber: '0000001',
  OrderedDate: '2026-11-24T10:00:00Z',
  ShopperName: 'Ada Lovelace',
  BillingEmailAddress: 'ada@example.com',
  GrandTotalAmount: '19.99',
  Payload: '{"orderItems":[{"sku":"A","quantity":1,"unitPrice":"19.99"}]}',
};

async function errorsOf(body: unknown): Promise<PendingOrderInputError[]> {
  const out = await checkPendingOrderInput(body);
  if (out.ok) throw new Error('expected errors');
  return out.errors;
}

describe('checkPendingOrderInput', () => {
  it('accepts the seed fields and applies the defaults (USD, JSON_RAW)', async () => {
    const out = await checkPendingOrderInput(valid);
    expect(out).toEqual({
      ok: true,
      value: expect.objectContaining({ externalReferenceIdentifier: valid.ExternalReferenceIdentifier, currencyIsoCode: 'USD', payloadType: 'JSON_RAW', grandTotalAmount: '19.99', orderedDate: '2026-11-24T10:00:00.000Z' }),
    });
  });

  it('keeps the amount exact and refuses amounts a numeric(18,2) cannot hold', async () => {
    expect(await checkPendingOrderInput({ ...valid, GrandTotalAmount: '1234567890123456.78' })).toMatchObject({ ok: true, value: { grandTotalAmount: '1234567890123456.78' } });
    expect(await checkPendingOrderInput({ ...valid, GrandTotalAmount: 10.5 })).toMatchObject({ ok: true, value: { grandTotalAmount: '10.5' } });
    expect((await errorsOf({ ...valid, GrandTotalAmount: '1.999' }))[0]).toMatchObject({ errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', fields: ['GrandTotalAmount'] });
    expect((await errorsOf({ ...valid, GrandTotalAmount: 1e21 }))[0]).toMatchObject({ fields: ['GrandTotalAmount'] });
  });

  it('requires ExternalReferenceIdentifier and the other non-nillable fields, naming them', async () => {
    const { ExternalReferenceIdentifier: _e, ShopperName: _s, ...rest } = valid;
    expect(await errorsOf(rest)).toEqual([{ errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [ExternalReferenceIdentifier, ShopperName]', fields: ['ExternalReferenceIdentifier', 'ShopperName'] }]);
  });

  it('restricts CurrencyIsoCode and PayloadType to their picklists', async () => {
    expect((await errorsOf({ ...valid, CurrencyIsoCode: 'SEK' }))[0]).toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['CurrencyIsoCode'] });
    expect((await errorsOf({ ...valid, PayloadType: 'XML' }))[0]).toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['PayloadType'] });
    for (const c of ['DKK', 'EUR', 'GBP', 'USD']) expect((await checkPendingOrderInput({ ...valid, CurrencyIsoCode: c })).ok).toBe(true);
  });

  it('checks the payload against its type', async () => {
    expect((await checkPendingOrderInput({ ...valid, PayloadType: 'JSON_GZIP', Payload: gzipSync(valid.Payload).toString('base64') })).ok).toBe(true);
    expect((await errorsOf({ ...valid, PayloadType: 'JSON_GZIP' }))[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['Payload'] });
    expect((await errorsOf({ ...valid, Payload: 'nope' }))[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'Payload: not valid JSON' });
    expect((await errorsOf({ ...valid, Payload: 'x'.repeat(131_073) }))[0]).toMatchObject({ errorCode: 'STRING_TOO_LONG', fields: ['Payload'] });
  });

  it("shares one request's inflate budget across its records and names the rule once it is spent", async () => {
    // ~400 KB inflated each: two fit a 1 MB budget, the third does not; a raw payload costs nothing.
    const big = { ...valid, PayloadType: 'JSON_GZIP', Payload: gzipSync(JSON.stringify({ orderItems: [], note: ' '.repeat(400_000) })).toString('base64') };
    const budget = new InflateBudget(1_000_000, 60_000);
    expect((await checkPendingOrderInput(big, budget)).ok).toBe(true);
    expect((await checkPendingOrderInput(big, budget)).ok).toBe(true);
    const [refused] = await checkPendingOrderInput(big, budget).then((o) => (o.ok ? [] : o.errors));
    expect(refused).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['Payload'], message: expect.stringContaining('rule inflateBudget') });
    expect((await checkPendingOrderInput(valid, budget)).ok).toBe(true);
  });

  it('refuses unknown and non-createable fields', async () => {
    expect((await errorsOf({ ...valid, Foo: 1 }))[0]).toMatchObject({ errorCode: 'INVALID_FIELD', fields: ['Foo'] });
    expect((await errorsOf({ ...valid, ExternalId: 'x' }))[0]).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['ExternalId'] });
    expect((await errorsOf({ ...valid, AccountId: '001000000000001AAA' }))[0]).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' });
  });

  it('checks email, date and processing instructions', async () => {
    expect((await errorsOf({ ...valid, BillingEmailAddress: 'nope' }))[0]).toMatchObject({ errorCode: 'INVALID_EMAIL_ADDRESS' });
    expect((await errorsOf({ ...valid, OrderedDate: '24/11/2026' }))[0]).toMatchObject({ fields: ['OrderedDate'] });
    expect((await errorsOf({ ...valid, ProcessingInstructions: '{"accountMatching":"Fuzzy"}' }))[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['ProcessingInstructions'] });
    expect((await checkPendingOrderInput({ ...valid, ProcessingInstructions: '{"accountMatching":"MatchingRule"}' })).ok).toBe(true);
  });

  it('treats the identifier as case-sensitive data (it is passed through unchanged)', async () => {
    expect(await checkPendingOrderInput({ ...valid, ExternalReferenceIdentifier: 'Abc' })).toMatchObject({ value: { externalReferenceIdentifier: 'Abc' } });
  });
});

describe('accountMatchingOf', () => {
  it('defaults to email matching', () => {
    expect(accountMatchingOf(null)).toBe('Email');
    expect(accountMatchingOf('{}')).toBe('Email');
    expect(accountMatchingOf('{"accountMatching":"MatchingRule"}')).toBe('MatchingRule');
  });
});
