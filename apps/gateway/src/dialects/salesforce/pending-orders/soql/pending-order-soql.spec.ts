import { encodeRecordId } from '../../ids/record-id';
import { SalesforceApiError } from '../../errors/salesforce-error';
import { isPendingOrderSummaryQuery, planPendingOrderQuery } from './pending-order-soql';

function refused(soql: string): SalesforceApiError {
  try {
    planPendingOrderQuery(soql);
  } catch (e) {
    if (e instanceof SalesforceApiError) return e;
    throw e;
  }
  throw new Error(`expected ${soql} to be refused`);
}

describe('PendingOrderSummary SOQL rules (seed 002)', () => {
  it.each([
    'SELECT Id, convertCurrency(GrandTotalAmount) FROM PendingOrderSummary',
    "SELECT ExternalReferenceIdentifier, Account.Name FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = 'a'",
    "SELECT ExternalReferenceIdentifier FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = 'a' LIMIT 1",
    "SELECT ExternalReferenceIdentifier FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = 'a'",
    `SELECT ExternalReferenceIdentifier FROM PendingOrderSummary WHERE AccountId = '${encodeRecordId('001', 7)}'`,
    'SELECT ExternalReferenceIdentifier FROM PendingOrderSummary ORDER BY ExternalReferenceIdentifier',
    'SELECT ExternalReferenceIdentifier FROM PendingOrderSummary ORDER BY ExternalReferenceIdentifier ASC NULLS FIRST',
    'SELECT ExternalReferenceIdentifier FROM PendingOrderSummary ORDER BY ExternalReferenceIdentifier DESC NULLS LAST',
    "SELECT ExternalReferenceIdentifier FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = 'realm_tenant@storesite@0000001'",
  ])('accepts the seed example %s', (soql) => {
    expect(isPendingOrderSummaryQuery(soql)).toBe(true);
    expect(() => planPendingOrderQuery(soql)).not.toThrow();
  });

  it('plans equalities, sort and limit, decoding record ids', () => {
    const plan = planPendingOrderQuery(`SELECT Id, Account.Name, convertCurrency(GrandTotalAmount) FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = 'a' AND AccountId = '${encodeRecordId('001', 7)}' ORDER BY OrderedDate DESC LIMIT 5`);
    expect(plan).toEqual({
      requested: ['Id', 'Account.Name', 'convertCurrency(GrandTotalAmount)'],
      where: [
        { field: 'ExternalReferenceIdentifier', value: 'a' },
        { field: 'AccountId', value: 7 },
      ],
      orderBy: [{ field: 'OrderedDate', direction: 'DESC' }],
      limit: 5,
    });
  });

  it("refuses the seed's invalid example: range filters aren't supported", () => {
    const e = refused("SELECT ExternalReferenceIdentifier FROM PendingOrderSummary WHERE ExternalReferenceIdentifier < 'a'");
    expect(e.status).toBe(400);
    expect(e.errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(e.message).toContain("range filters aren't supported");
  });

  it.each([
    ["SELECT Id FROM PendingOrderSummary WHERE ExternalReferenceIdentifier != 'a'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ["SELECT Id FROM PendingOrderSummary WHERE ExternalReferenceIdentifier LIKE 'a%'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ["SELECT Id FROM PendingOrderSummary WHERE ShopperName = 'Ada'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ["SELECT Id FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = 'a' OR ExternalReferenceIdentifier = 'b'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ["SELECT Id FROM PendingOrderSummary WHERE AccountId = 'xxx'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ['SELECT Id FROM PendingOrderSummary ORDER BY ExternalReferenceIdentifier ASC NULLS LAST', 'MALFORMED_QUERY'],
    ['SELECT Id FROM PendingOrderSummary ORDER BY ExternalReferenceIdentifier DESC NULLS FIRST', 'MALFORMED_QUERY'],
    ['SELECT Id FROM PendingOrderSummary ORDER BY Payload', 'INVALID_FIELD'],
    ['SELECT ExternalId FROM PendingOrderSummary', 'INVALID_FIELD'],
    ['SELECT convertCurrency(ShopperName) FROM PendingOrderSummary', 'INVALID_FIELD'],
    ['SELECT GrandTotalAmount, convertCurrency(GrandTotalAmount) FROM PendingOrderSummary', 'DUPLICATE_FIELD'],
    ['SELECT Owner.Name FROM PendingOrderSummary', 'INVALID_FIELD'],
  ])('refuses %s with %s', (soql, code) => {
    expect(refused(soql).errorCode).toBe(code);
  });

  it('leaves other objects to the tracker', () => {
    expect(isPendingOrderSummaryQuery('SELECT Id FROM AsyncOperationTracker')).toBe(false);
    expect(isPendingOrderSummaryQuery("SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'PendingOrderSummary'")).toBe(false);
  });
});
