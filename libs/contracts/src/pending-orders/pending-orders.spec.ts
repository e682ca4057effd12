import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { validateMessage } from '../registry';
import { PendingOrderRecord, pendingOrderRecordProblems, PendingOrderRpc } from './pending-orders';

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

const byClass = (r: unknown) => validateSync(plainToInstance(PendingOrderRecord, r) as object, { whitelist: true, forbidNonWhitelisted: true }).length === 0;

describe('pendingOrderRecordProblems (the ingest request checks its records without an instance each)', () => {
  it.each<[string, unknown]>([
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
    ['not an object', 'record'],
  ])('agrees with the class on %s', (_what, record) => {
    expect(pendingOrderRecordProblems(record).length === 0).toBe(byClass(record));
  });

  it('refuses what a lone instance would let through: null, a prototype name as a field', () => {
    expect(pendingOrderRecordProblems(null)).toEqual(['must be an object']);
    expect(pendingOrderRecordProblems({ ...valid, constructor: 'x' })).toEqual(['constructor: property should not exist']);
  });

  it('refuses an ingest request naming the record and field, and takes a valid one', () => {
    expect(validateMessage(PendingOrderRpc.Ingest, { ownerId: 'o', orders: [valid, valid] })).toMatchObject({ ok: true });
    const refused = validateMessage(PendingOrderRpc.Ingest, { ownerId: 'o', orders: [valid, { ...valid, currencyIsoCode: 'SEK' }] });
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).toContain('[1].currencyIsoCode');
    expect(validateMessage(PendingOrderRpc.Ingest, { ownerId: 'o', orders: [] }).ok).toBe(false);
    expect(validateMessage(PendingOrderRpc.Ingest, { ownerId: 'o', orders: Array.from({ length: 1001 }, () => valid) }).ok).toBe(false);
  });
});
