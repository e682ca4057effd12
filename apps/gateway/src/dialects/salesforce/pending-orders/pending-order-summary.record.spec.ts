import { encodeRecordId } from '@asyncops/contracts';
import { currencyValue, saveResultOf } from './pending-order-summary.record';

describe('PendingOrderSummary records', () => {
  it('sends amounts as JSON numbers only when they stay exact', () => {
    expect(currencyValue('123.45')).toBe(123.45);
    expect(currencyValue('0.10')).toBe(0.1);
    expect(currencyValue('1234567890123456.78')).toBe('1234567890123456.78');
  });

  it("answers creates in Salesforce's save-result shape, naming the record a duplicate collides with", () => {
    expect(saveResultOf({ ok: true, number: 5 })).toEqual({ id: encodeRecordId('0ps', 5), success: true, errors: [] });
    expect(saveResultOf({ ok: false, errorCode: 'DUPLICATE_VALUE', duplicateOf: { object: 'OrderSummary', number: 9 } })).toEqual({
      id: null,
      success: false,
      errors: [
        {
          errorCode: 'DUPLICATE_VALUE',
          message: `duplicate value found: ExternalReferenceIdentifier duplicates value on record with id: ${encodeRecordId('1Os', 9)}`,
          fields: ['ExternalReferenceIdentifier'],
        },
      ],
    });
  });
});
