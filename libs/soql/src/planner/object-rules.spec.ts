import { ORDER_SUMMARY } from '../objects/order-summary.object';
import { PENDING_ORDER_SUMMARY_OBJECT } from '../objects/pending-order-summary.object';
import { assertValidPlan } from '../query-plan';
import { encodeRecordId } from '../record-id';
import { refusalOf, SPEC_CONTEXT } from '../../test/support';
import { planSoql } from './soql-planner';

const OBJECTS = [PENDING_ORDER_SUMMARY_OBJECT, ORDER_SUMMARY];
const plan = (soql: string) => planSoql(soql, OBJECTS, SPEC_CONTEXT).plan;

const refused = (soql: string) => refusalOf(soql, OBJECTS);

describe('PendingOrderSummary SOQL rules (seed 002)', () => {
  it.each([
    'SELECT Id, convertCurrency(GrandTotalAmount) FROM PendingOrderSummary',
    "SELECT ExternalReferenceIdentifier, Account.Name FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = 'a'",
    "SELECT ExternalReferenceIdentifier FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = 'a' LIMIT 1",
    `SELECT ExternalReferenceIdentifier FROM PendingOrderSummary WHERE AccountId = '${encodeRecordId('001', 7)}'`,
    'SELECT ExternalReferenceIdentifier FROM PendingOrderSummary ORDER BY ExternalReferenceIdentifier',
    'SELECT ExternalReferenceIdentifier FROM PendingOrderSummary ORDER BY ExternalReferenceIdentifier ASC NULLS FIRST',
    'SELECT ExternalReferenceIdentifier FROM PendingOrderSummary ORDER BY ExternalReferenceIdentifier DESC NULLS LAST',
    "SELECT ExternalReferenceIdentifier FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = 'realm_tenant@storesite@0000001'",
  ])('accepts the seed example %s, and the owner accepts its plan', (soql) => {
    expect(() => assertValidPlan(plan(soql), OBJECTS)).not.toThrow();
  });

  it('plans equalities, sort and limit, decoding record ids', () => {
    expect(plan(`SELECT Id, Account.Name, convertCurrency(GrandTotalAmount) FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = 'a' AND AccountId = '${encodeRecordId('001', 7)}' ORDER BY OrderedDate DESC LIMIT 5`)).toEqual({
      object: 'PendingOrderSummary',
      select: ['Id', 'Account.Name', 'convertCurrency(GrandTotalAmount)'],
      count: false,
      where: {
        kind: 'and',
        items: [
          { kind: 'compare', field: 'ExternalReferenceIdentifier', op: '=', value: 'a' },
          { kind: 'compare', field: 'AccountId', op: '=', value: 7 },
        ],
      },
      orderBy: [{ field: 'OrderedDate', direction: 'DESC', nulls: 'LAST' }],
      limit: 5,
      offset: 0,
      forView: false,
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
    ["SELECT Id FROM PendingOrderSummary WHERE ExternalReferenceIdentifier IN ('a')", 'INVALID_QUERY_FILTER_OPERATOR'],
    ["SELECT Id FROM PendingOrderSummary WHERE ShopperName = 'Ada'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ["SELECT Id FROM PendingOrderSummary WHERE ExternalReferenceIdentifier = 'a' OR ExternalReferenceIdentifier = 'b'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ["SELECT Id FROM PendingOrderSummary WHERE NOT ExternalReferenceIdentifier = 'a'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ["SELECT Id FROM PendingOrderSummary WHERE AccountId = 'xxx'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ['SELECT Id FROM PendingOrderSummary ORDER BY ExternalReferenceIdentifier ASC NULLS LAST', 'MALFORMED_QUERY'],
    ['SELECT Id FROM PendingOrderSummary ORDER BY ExternalReferenceIdentifier DESC NULLS FIRST', 'MALFORMED_QUERY'],
    ['SELECT Id FROM PendingOrderSummary ORDER BY Payload', 'INVALID_FIELD'],
    ['SELECT ExternalId FROM PendingOrderSummary', 'INVALID_FIELD'],
    ['SELECT convertCurrency(ShopperName) FROM PendingOrderSummary', 'INVALID_FIELD'],
    ['SELECT GrandTotalAmount, convertCurrency(GrandTotalAmount) FROM PendingOrderSummary', 'DUPLICATE_FIELD'],
    ['SELECT convertCurrency(GrandTotalAmount), GrandTotalAmount FROM PendingOrderSummary', 'DUPLICATE_FIELD'],
    ['SELECT Owner.Name FROM PendingOrderSummary', 'INVALID_FIELD'],
    ['SELECT Id FROM PendingOrderSummary LIMIT 5 OFFSET 1', 'MALFORMED_QUERY'],
    ['SELECT COUNT() FROM PendingOrderSummary', 'MALFORMED_QUERY'],
    ['SELECT CurrencyIsoCode, COUNT(Id) FROM PendingOrderSummary GROUP BY CurrencyIsoCode', 'MALFORMED_QUERY'],
    ['SELECT Id FROM PendingOrderSummary FOR VIEW', 'MALFORMED_QUERY'],
  ])('refuses %s with %s', (soql, code) => {
    expect(refused(soql).errorCode).toBe(code);
  });
});

describe('OrderSummary SOQL rules', () => {
  it('answers filters, ORDER BY, LIMIT and OFFSET', () => {
    expect(() => assertValidPlan(plan("SELECT Id, Account.Name FROM OrderSummary WHERE GrandTotalAmount > 100.5 OR Status != 'Created' ORDER BY OrderedDate DESC LIMIT 5 OFFSET 2"), OBJECTS)).not.toThrow();
  });

  it.each([
    'SELECT COUNT() FROM OrderSummary',
    'SELECT Status, COUNT(Id) FROM OrderSummary GROUP BY Status',
    'SELECT Id FROM OrderSummary FOR VIEW',
    'SELECT Id FROM OrderSummary WHERE Id IN (SELECT Id FROM OrderSummary)',
    'SELECT convertCurrency(GrandTotalAmount) FROM OrderSummary',
  ])('refuses %s as MALFORMED_QUERY', (soql) => {
    expect(refused(soql).errorCode).toBe('MALFORMED_QUERY');
  });
});
