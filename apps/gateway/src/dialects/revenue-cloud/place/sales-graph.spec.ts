import { thrownBy } from '../../../../test/support/thrown';
import { SalesforceApiError } from '../../salesforce/errors/salesforce-error';
import { statusUrl } from './place-sales-transaction.controller';
import { GraphRecord, parseSalesGraph } from './sales-graph';

const header = (fields: Record<string, unknown> = {}, type = 'Order'): GraphRecord => ({
  referenceId: 'refHeader',
  record: { attributes: { type, method: 'POST' }, CurrencyIsoCode: 'USD', ShippingCountryCode: 'US', ...fields },
});
const item = (n: number, fields: Record<string, unknown> = {}, type = 'OrderItem', parent = 'OrderId'): GraphRecord => ({
  referenceId: `refItem${n}`,
  record: { attributes: { type, method: 'POST' }, [parent]: '@{refHeader.id}', Product2Id: 'SKU-1', Quantity: 2, ...fields },
});

describe('parseSalesGraph', () => {
  it('reads the header and its lines, adjustments as decimal strings', () => {
    expect(parseSalesGraph('Order', [header({ ShippingStateCode: 'CA', Name: 'kept out' }), item(1, { Discount: 12.5 }), item(2, { DiscountAmount: '1.25', Product2Id: 'SKU-2' })])).toEqual({
      currency: 'USD',
      shipToCountry: 'US',
      shipToRegion: 'CA',
      lines: [
        { sku: 'SKU-1', quantity: 2, discountPercent: '12.5' },
        { sku: 'SKU-2', quantity: 2, discountAmount: '1.25' },
      ],
    });
  });

  it('reads a quote graph with QuoteLineItem lines referencing @{ref}', () => {
    const line = item(1, {}, 'QuoteLineItem', 'QuoteId');
    line.record.QuoteId = '@{refHeader}';
    expect(parseSalesGraph('Quote', [header({}, 'Quote'), line]).lines).toHaveLength(1);
  });

  it.each([
    ['a missing ShippingCountryCode', () => parseSalesGraph('Order', [header({ ShippingCountryCode: undefined }), item(1)]), 'REQUIRED_FIELD_MISSING', 'ShippingCountryCode'],
    ['a bad currency', () => parseSalesGraph('Order', [header({ CurrencyIsoCode: 'usd' }), item(1)]), 'FIELD_INTEGRITY_EXCEPTION', 'CurrencyIsoCode'],
    ['an unknown field', () => parseSalesGraph('Order', [header(), item(1, { Bogus__c: 1 })]), 'INVALID_FIELD', 'Bogus__c'],
    ['a quote field on an order line', () => parseSalesGraph('Order', [header(), item(1, { QuoteId: 'x' })]), 'INVALID_FIELD', 'QuoteId'],
    ['a zero quantity', () => parseSalesGraph('Order', [header(), item(1, { Quantity: 0 })]), 'FIELD_INTEGRITY_EXCEPTION', 'Quantity'],
    ['a fractional quantity', () => parseSalesGraph('Order', [header(), item(1, { Quantity: 1.5 })]), 'FIELD_INTEGRITY_EXCEPTION', 'Quantity'],
    ['a discount over 100 %', () => parseSalesGraph('Order', [header(), item(1, { Discount: 101 })]), 'FIELD_INTEGRITY_EXCEPTION', 'Discount'],
    ['a negative discount amount', () => parseSalesGraph('Order', [header(), item(1, { DiscountAmount: -1 })]), 'FIELD_INTEGRITY_EXCEPTION', 'DiscountAmount'],
    ['a line that points elsewhere', () => parseSalesGraph('Order', [header(), item(1, { OrderId: '@{other.id}' })]), 'FIELD_INTEGRITY_EXCEPTION', 'OrderId'],
    ['two headers', () => parseSalesGraph('Order', [header(), { ...header(), referenceId: 'h2' }, item(1)]), 'INVALID_INPUT', 'graph.records'],
    ['no lines', () => parseSalesGraph('Order', [header()]), 'INVALID_INPUT', 'graph.records'],
    ['a quote record in an order graph', () => parseSalesGraph('Order', [header({}, 'Quote'), item(1)]), 'INVALID_TYPE', 'attributes.type'],
    ['a reused referenceId', () => parseSalesGraph('Order', [header(), item(1), item(1)]), 'DUPLICATE_VALUE', 'referenceId'],
    ['a PATCH record', () => parseSalesGraph('Order', [header({ attributes: { type: 'Order', method: 'PATCH' } }), item(1)]), 'INVALID_INPUT', 'attributes.method'],
  ])('refuses %s', (_what, parse, errorCode, field) => {
    const e = thrownBy(SalesforceApiError, parse);
    expect(e.status).toBe(400);
    expect(e.errorCode).toBe(errorCode);
    expect(e.fields).toEqual([field]);
  });
});

describe('statusUrl', () => {
  it('is the AsyncOperationTracker record of the parent, as an 18-character id', () => {
    expect(statusUrl('60.0', 'AON-0000000012')).toMatch(/^\/services\/data\/v60\.0\/sobjects\/AsyncOperationTracker\/0Ao[0-9A-Za-z]{15}$/);
    expect(statusUrl('60.0', 'AON-0000000012')).not.toBe(statusUrl('60.0', 'AON-0000000013'));
  });
});
