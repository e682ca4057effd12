import { assertValidPlan, QueryPlan, QueryPlanError } from '../query-plan';
import { SqlCompiler } from '../sql/sql-compiler';
import { ORDER_SUMMARY } from './order-summary.object';
import { orderSummaryStorage, pendingOrderSummaryStorage } from './order-summary.storage';
import { PENDING_ORDER_SUMMARY_OBJECT } from './pending-order-summary.object';

const S = '"order_placement"';
const summary: QueryPlan = { object: 'OrderSummary', select: ['Id'], count: false, where: null, orderBy: [], limit: null, offset: 0, forView: false };
const pending: QueryPlan = { ...summary, object: 'PendingOrderSummary' };
const firstPage = { ownerId: 'acme', pageOffset: 0, pageSize: 2000, snapshot: null, withTotals: true };

describe('OrderSummary storage', () => {
  it('scopes to the owner, binds every value, joins the account and pages in a total order', () => {
    const plan: QueryPlan = {
      ...summary,
      select: ['Id', 'GrandTotalAmount', 'Account.Name', 'Status'],
      where: {
        kind: 'and',
        items: [
          { kind: 'compare', field: 'ExternalReferenceIdentifier', op: '=', value: "x'; DROP TABLE y; --" },
          { kind: 'compare', field: 'GrandTotalAmount', op: '>=', value: '10.50' },
          { kind: 'compare', field: 'Account.Name', op: '=', value: 'Ada' },
          { kind: 'in', field: 'CurrencyIsoCode', negate: false, values: ['EUR', 'USD'] },
        ],
      },
      orderBy: [{ field: 'CreatedDate', direction: 'DESC', nulls: 'LAST' }],
      limit: 2500,
      offset: 3,
    };
    expect(() => assertValidPlan(plan, [ORDER_SUMMARY])).not.toThrow();
    const c = new SqlCompiler(orderSummaryStorage(S));
    const { sql, values } = c.rows(plan, { ownerId: 'acme', pageOffset: 2000, pageSize: 2000, snapshot: 7, withTotals: false });
    expect(sql).toContain('o."grand_total_amount"::text AS "c2", a."name" AS "c3", \'Created\'::text AS "c4", a."number" AS "c5" FROM');
    expect(sql).toContain(
      'WHERE o."owner_id" = $1::text AND o."number" <= $2::bigint AND ((o."external_reference_identifier" = $3::text) AND (o."grand_total_amount" >= $4::numeric) AND (lower(a."name") = lower($5::text)) AND (o."currency_iso_code" = ANY($6::text[])))',
    );
    expect(sql).toContain('ORDER BY o."created_at" DESC NULLS LAST, o."number" ASC LIMIT $7::bigint OFFSET $8::bigint');
    expect(sql).not.toContain('DROP');
    expect(values).toEqual(['acme', 7, "x'; DROP TABLE y; --", '10.50', 'Ada', ['EUR', 'USD'], 500, 2003]);
    expect(c.relationshipsOf(plan)).toEqual(['Account']);
  });

  it('refuses what OrderSummary does not answer', () => {
    expect(() => assertValidPlan({ ...summary, count: true }, [ORDER_SUMMARY])).toThrow(QueryPlanError);
    expect(() => assertValidPlan({ ...summary, forView: true }, [ORDER_SUMMARY])).toThrow(QueryPlanError);
    expect(() => assertValidPlan({ ...summary, where: { kind: 'semiJoin', field: 'Id', negate: false, subField: 'Id', where: null } }, [ORDER_SUMMARY])).toThrow(QueryPlanError);
  });
});

describe('PendingOrderSummary storage and rules', () => {
  it('scopes to the owner, binds every value, keeps the seed null ordering and converts the currency', () => {
    const plan: QueryPlan = {
      ...pending,
      select: ['Id', 'Account.Name', 'convertCurrency(GrandTotalAmount)'],
      where: {
        kind: 'and',
        items: [
          { kind: 'compare', field: 'ExternalReferenceIdentifier', op: '=', value: "a'; DROP TABLE x; --" },
          { kind: 'compare', field: 'AccountId', op: '=', value: 7 },
        ],
      },
      orderBy: [
        { field: 'OrderedDate', direction: 'DESC', nulls: 'LAST' },
        { field: 'ExternalReferenceIdentifier', direction: 'ASC', nulls: 'FIRST' },
      ],
      limit: 10,
    };
    expect(() => assertValidPlan(plan, [PENDING_ORDER_SUMMARY_OBJECT])).not.toThrow();
    const { sql, values } = new SqlCompiler(pendingOrderSummaryStorage(S)).rows(plan, firstPage);
    // Exact comparison: the unique index on the identifier is case-sensitive, as the seed says.
    expect(sql).toContain('WHERE o."owner_id" = $1::text AND ((o."external_reference_identifier" = $2::text) AND (o."account_number" = $3::bigint))');
    expect(sql).toContain('ORDER BY o."ordered_date" DESC NULLS LAST, o."external_reference_identifier" ASC NULLS FIRST, o."number" ASC');
    expect(sql).toContain('round(o."grand_total_amount" / r."conversion_rate", 2)::text AS "c3"');
    expect(sql).not.toContain('DROP');
    expect(values).toEqual(['acme', "a'; DROP TABLE x; --", 7, 10, 0]);
  });

  it.each<[string, Partial<QueryPlan>]>([
    ['a range filter', { where: { kind: 'compare', field: 'ExternalReferenceIdentifier', op: '<', value: 'a' } }],
    ['a filter on an unindexed field', { where: { kind: 'compare', field: 'ShopperName', op: '=', value: 'Ada' } }],
    ['OR', { where: { kind: 'or', items: [{ kind: 'compare', field: 'Id', op: '=', value: 1 }, { kind: 'compare', field: 'Id', op: '=', value: 2 }] } }],
    ['NOT', { where: { kind: 'not', item: { kind: 'compare', field: 'Id', op: '=', value: 1 } } }],
    ['IN', { where: { kind: 'in', field: 'Id', negate: false, values: [1] } }],
    ['OFFSET', { offset: 5 }],
    ['COUNT()', { select: [], count: true }],
    ['ASC NULLS LAST', { orderBy: [{ field: 'OrderNumber', direction: 'ASC', nulls: 'LAST' }] }],
    ['convertCurrency() of another field', { select: ['convertCurrency(ShopperName)'] }],
  ])('refuses %s', (_what, change) => {
    expect(() => assertValidPlan({ ...pending, ...change }, [PENDING_ORDER_SUMMARY_OBJECT])).toThrow(QueryPlanError);
  });
});
