import { ORDER_SUMMARY, OrderSummaryView } from '@asyncops/contracts';
import { describeSObject } from '../describe/describe';
import { nativeOrderSummary, orderSummaryRecord } from './order-summary.record';

const view: OrderSummaryView = {
  number: 42,
  orderNumber: 'ON-1',
  externalReferenceIdentifier: 'realm@site@1',
  status: 'Created',
  orderedDate: '2026-11-24T10:00:00.000Z',
  accountNumber: 7,
  accountName: 'Ada',
  billToContactNumber: null,
  billToContactName: null,
  currencyIsoCode: 'EUR',
  grandTotalAmount: '123.45',
  totalAmount: '100.00',
  salesChannelId: null,
  salesStoreId: null,
  pendingOrderSummaryNumber: 9,
  createdAt: '2026-11-24T10:00:01.000Z',
  items: [{ line: 1, sku: 'SKU-1', description: null, quantity: '2.0000', unitPrice: '50.00', totalPrice: '100.00' }],
};

describe('OrderSummary on the Salesforce surface', () => {
  it('retrieves every described field, and the lines as a child relationship', () => {
    const r = orderSummaryRecord(view, '62.0');
    expect(Object.keys(r).filter((k) => k !== 'attributes' && k !== 'OrderItemSummaries').sort()).toEqual(ORDER_SUMMARY.fields.map((f) => f.name).sort());
    expect(r).toMatchObject({
      attributes: { type: 'OrderSummary', url: `/services/data/v62.0/sobjects/OrderSummary/${r.Id}` },
      Id: expect.stringMatching(/^1Os/),
      AccountId: expect.stringMatching(/^001/),
      BillToContactId: null,
      GrandTotalAmount: 123.45,
      TotalAmount: 100,
      OrderedDate: '2026-11-24T10:00:00.000+0000',
    });
    expect(r.OrderItemSummaries).toEqual({
      totalSize: 1,
      done: true,
      records: [{ attributes: { type: 'OrderItemSummary' }, LineNumber: 1, StockKeepingUnit: 'SKU-1', Description: null, Quantity: 2, UnitPrice: 50, TotalPrice: 100 }],
    });
  });

  it('keeps amounts as decimal strings on the native API and names the pending order it came from', () => {
    expect(nativeOrderSummary(view)).toMatchObject({ grandTotalAmount: '123.45', pendingOrderSummaryId: expect.stringMatching(/^0ps/), items: view.items });
    expect(nativeOrderSummary({ ...view, items: undefined })).not.toHaveProperty('items');
  });

  it('describes currency fields with Salesforce precision and scale, read-only', () => {
    const d = describeSObject(ORDER_SUMMARY, '62.0');
    expect(d).toMatchObject({ name: 'OrderSummary', keyPrefix: '1Os', createable: false, deletable: false, queryable: true });
    expect(d.fields.find((f) => f.name === 'GrandTotalAmount')).toMatchObject({ type: 'currency', soapType: 'xsd:double', precision: 18, scale: 2, length: 0 });
    expect(d.fields.find((f) => f.name === 'AccountId')).toMatchObject({ type: 'reference', referenceTo: ['Account'], relationshipName: 'Account' });
  });
});
