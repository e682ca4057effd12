import 'reflect-metadata';
import { Expose, plainToInstance, Transform, Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested, validateSync } from 'class-validator';
import { compileCheck } from './compiled-check';
import { OperationEvents } from './events/operation-lifecycle';
import { IngestPendingOrdersRequest, PendingOrderRecord, PendingOrderRpc } from './pending-orders/pending-orders';
import { compiledCheckOf, isKnownRoutingKey, MESSAGE_CONTRACTS, RoutingKey, validateMessage } from './registry';
import { OrderPlacementRpc } from './order-placement/order-placement';
import { TrackerRpc } from './rpc/tracker-rpc';
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

describe('compileCheck refuses classes whose instances hold more than the decoded body', () => {
  it('leaves converting or renaming decorators, defaults and methods to the class path', () => {
    class Converted {
      @Type(() => Number)
      @IsInt()
      n!: number;
    }
    class Transformed {
      @Transform(({ value }) => String(value).trim())
      @IsString()
      name!: string;
    }
    class Renamed {
      @Expose({ name: 'full_name' })
      @IsString()
      name!: string;
    }
    class Defaulted {
      @IsInt()
      limit = 50;
    }
    class WithMethod {
      @IsString()
      name!: string;
      shout(): string {
        return this.name.toUpperCase();
      }
    }
    class WithAccessor {
      @IsString()
      name!: string;
      get initial(): string {
        return this.name[0];
      }
    }
    class Inherits extends WithMethod {
      @IsInt()
      n!: number;
    }
    class Plain {
      @IsString()
      name!: string;
    }
    class HoldsDefaulted {
      @RequiredNested(() => Defaulted)
      inner!: Defaulted;
    }
    for (const cls of [Converted, Transformed, Renamed, Defaulted, WithMethod, WithAccessor, Inherits, HoldsDefaulted]) expect(compileCheck(cls)).toBeUndefined();
    expect(compileCheck(Plain)?.({ name: 'x' })).toBe(true);
  });

  it('compiles the contracts of the hot paths: lifecycle events, the submit record, the cart placement', () => {
    for (const key of [...Object.values(OperationEvents), TrackerRpc.RecordSubmitted, OrderPlacementRpc.PlaceCart, PendingOrderRpc.Ingest]) {
      expect([key, compiledCheckOf(key as RoutingKey)]).toEqual([key, expect.any(Function)]);
    }
  });

  const operationId = '0b6c7f1e-0d1c-4a8e-9f5e-1c2d3e4f5a6b';
  const submitted = { operationId, occurredAt: '2026-12-05T00:00:00.000Z', ownerId: 'o', jobType: 'PlaceOrder', producer: 'order-placement', totalJobItems: 1 };
  const event = (routingKey: string) => ({ messageId: 'f7d1c2b3-4a5e-4f60-8a7b-9c0d1e2f3a4b', routingKey, payload: { operationId, occurredAt: submitted.occurredAt } });
  const recordBodies: Array<[string, unknown]> = [
    ['a submit alone', { operation: submitted }],
    ['a submit with its events', { operation: submitted, events: [event('operation.started'), event('operation.finished')] }],
    ['a submit with children', { operation: submitted, children: [{ ...submitted, operationId: 'a0b6c7f1-0d1c-4a8e-9f5e-1c2d3e4f5a6b' }] }],
    ['no operation', { events: [] }],
    ['an operation id that is not a uuid', { operation: { ...submitted, operationId: 'x' } }],
    ['an unknown job type', { operation: { ...submitted, jobType: 'Nope' } }],
    ['a negative item count', { operation: { ...submitted, totalJobItems: -1 } }],
    ['an event of an unknown routing key', { operation: submitted, events: [event('operation.nope')] }],
    ['an event whose payload is not an object', { operation: submitted, events: [{ ...event('operation.started'), payload: 'x' }] }],
    ['an unknown field in the operation', { operation: { ...submitted, extra: 1 } }],
    ['a null operation', { operation: null }],
  ];

  it.each(recordBodies)('agrees with the class on a record-submitted request with %s', (_what, body) => {
    const byClassPath = validateSync(plainToInstance(MESSAGE_CONTRACTS[TrackerRpc.RecordSubmitted], body) as object, { whitelist: true, forbidNonWhitelisted: true }).length === 0;
    expect(compiledCheckOf(TrackerRpc.RecordSubmitted)?.(body)).toBe(byClassPath);
    expect(validateMessage(TrackerRpc.RecordSubmitted, body).ok).toBe(byClassPath);
  });

  it('never passes, for any contract, a body its class refuses', () => {
    const bodies: unknown[] = [{}, { ownerId: 'o' }, { ownerId: 1 }, { operationId }, { unknown: true }, { ownerId: 'o', operationId, occurredAt: 'yesterday' }];
    for (const key of Object.keys(MESSAGE_CONTRACTS)) {
      if (!isKnownRoutingKey(key)) continue;
      const check = compiledCheckOf(key);
      for (const body of bodies) {
        if (!check?.(body)) continue;
        const errors = validateSync(plainToInstance(MESSAGE_CONTRACTS[key] as new () => object, body) as object, { whitelist: true, forbidNonWhitelisted: true });
        expect([key, body, errors.length]).toEqual([key, body, 0]);
      }
    }
  });
});
