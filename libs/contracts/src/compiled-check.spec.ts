import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsString, ValidateNested, validateSync } from 'class-validator';
import { compileCheck } from './compiled-check';
import { IngestPendingOrdersRequest, PendingOrderRecord, PendingOrderRpc } from './pending-orders/pending-orders';
import { compiledCheckOf, validateMessage } from './registry';
import { RequiredNested } from './validation';

const valid = {
  externalReferenceIdentifier: 'realm@site@1',
  orderNumber: '1',
  orderedDate: '2026-11-24T10:00:00.000Z',
  shopperName: 'Ada',
  billingEmailAddress: 'ada@example.com',
  currencyIsoCode: 'EUR',
  grandTotalAmount: '12.50',
  payload: '{"orderItems":[]}',
  payloadType: 'JSON_RAW',
};

const byClass = (cls: new () => object, r: unknown) => r !== null && typeof r === 'object' && validateSync(plainToInstance(cls, r) as object, { whitelist: true, forbidNonWhitelisted: true }).length === 0;

const records: Array<[string, unknown]> = [
  ['a minimal record', valid],
  ['every optional field', { ...valid, billingPhoneNumber: '+1 555', description: 'd', processingInstructions: '{}', salesChannelId: '0bI000000000001', salesStoreId: '0ZE000000000001AAA' }],
  ['optional fields null', { ...valid, billingPhoneNumber: null, description: null, salesStoreId: null }],
  ['a missing identifier', { ...valid, externalReferenceIdentifier: undefined }],
  ['an empty identifier', { ...valid, externalReferenceIdentifier: '' }],
  ['an identifier of 256 characters', { ...valid, externalReferenceIdentifier: 'x'.repeat(256) }],
  ['255 astral characters', { ...valid, externalReferenceIdentifier: '😀'.repeat(255) }],
  ['a number for a string', { ...valid, orderNumber: 1 }],
  ['a date without a zone', { ...valid, orderedDate: '2026-11-24T10:00:00' }],
  ['a date that does not exist', { ...valid, orderedDate: '2026-02-30T10:00:00Z' }],
  ['a short email', { ...valid, billingEmailAddress: 'a@' }],
  ['an unknown currency', { ...valid, currencyIsoCode: 'SEK' }],
  ['an amount with 3 decimals', { ...valid, grandTotalAmount: '1.234' }],
  ['a numeric amount', { ...valid, grandTotalAmount: 12.5 }],
  ['an unknown payload type', { ...valid, payloadType: 'XML' }],
  ['a payload past the cap', { ...valid, payload: 'x'.repeat(131_073) }],
  ['a channel id of 14 characters', { ...valid, salesChannelId: '0bI00000000000' }],
  ['an unknown field', { ...valid, extra: 1 }],
  ['a prototype name as a field', JSON.parse(`{"externalReferenceIdentifier":"a","constructor":"x"}`)],
  ['not an object', 'record'],
  ['null', null],
  ['an array', [valid]],
];

describe('compileCheck (a contract class checked without instances, from its own rules)', () => {
  const record = compileCheck(PendingOrderRecord) as (v: unknown) => boolean;
  const request = compileCheck(IngestPendingOrdersRequest) as (v: unknown) => boolean;

  it('compiles PendingOrderRecord and the ingest request', () => {
    expect(record).toBeInstanceOf(Function);
    expect(request).toBeInstanceOf(Function);
  });

  it.each(records)('never passes what the class refuses: %s', (_what, r) => {
    // Passing ⇒ the class passes too; everything the class takes here is passed as well.
    expect(record(r)).toBe(byClass(PendingOrderRecord, r) && !Array.isArray(r) && !Object.hasOwn(r as object, 'constructor'));
  });

  it.each<[string, unknown]>([
    ['two records', { ownerId: 'o', orders: [valid, valid] }],
    ['a bad record among good ones', { ownerId: 'o', orders: [valid, { ...valid, currencyIsoCode: 'SEK' }] }],
    ['no records', { ownerId: 'o', orders: [] }],
    ['1,001 records', { ownerId: 'o', orders: Array.from({ length: 1001 }, () => valid) }],
    ['a record that is not an object', { ownerId: 'o', orders: [valid, 'x'] }],
    ['a null record', { ownerId: 'o', orders: [null] }],
    ['orders not a list', { ownerId: 'o', orders: valid }],
    ['no owner', { orders: [valid] }],
    ['an unknown field', { ownerId: 'o', orders: [valid], extra: true }],
  ])('agrees with the class on an ingest request with %s', (_what, body) => {
    expect(request(body)).toBe(byClass(IngestPendingOrdersRequest, body));
  });

  it('follows nested classes declared through the helpers, and leaves to the class path a class without rules or a nested class declared otherwise', () => {
    class Bare {
      name!: string;
    }
    class Inner {
      @IsString()
      name!: string;
    }
    class Outer {
      @RequiredNested(() => Inner)
      inner!: Inner;
    }
    class ByHand {
      @ValidateNested()
      @Type(() => Inner)
      inner!: Inner;
    }
    expect(compileCheck(Bare)).toBeUndefined();
    expect(compileCheck(ByHand)).toBeUndefined();
    expect(compileCheck(Outer)?.({ inner: { name: 'x' } })).toBe(true);
    expect(compileCheck(Outer)?.({ inner: { name: 1 } })).toBe(false);
  });
});

describe('validateMessage with a compiled check (the ingest request)', () => {
  it('hands a valid request on as decoded, without building an instance per record', () => {
    expect(compiledCheckOf(PendingOrderRpc.Ingest)).toBeInstanceOf(Function);
    const body = { ownerId: 'o', orders: [valid, { ...valid, billingPhoneNumber: '+1 555' }] };
    const outcome = validateMessage(PendingOrderRpc.Ingest, body);
    expect(outcome).toEqual({ ok: true, value: body });
    expect(outcome.ok && outcome.value).toBe(body);
  });

  it('reports a refused request through the class, naming the record and field', () => {
    const refused = validateMessage(PendingOrderRpc.Ingest, { ownerId: 'o', orders: [valid, { ...valid, currencyIsoCode: 'SEK' }] });
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).toContain('orders.1.currencyIsoCode');
    expect(validateMessage(PendingOrderRpc.Ingest, { ownerId: 'o', orders: [] }).ok).toBe(false);
    expect(validateMessage(PendingOrderRpc.Ingest, { ownerId: 'o', orders: Array.from({ length: 1001 }, () => valid) }).ok).toBe(false);
  });

  it('settles what the predicate refuses by the class: a prototype name the class lets through still passes', () => {
    const body = JSON.parse(`{"ownerId":"o","orders":[${JSON.stringify(valid).slice(0, -1)},"constructor":"x"}]}`) as object;
    expect(compiledCheckOf(PendingOrderRpc.Ingest)?.(body)).toBe(false);
    expect(validateMessage(PendingOrderRpc.Ingest, body).ok).toBe(byClass(IngestPendingOrdersRequest, body));
  });
});
