import { QueryPlan, QueryPlanError } from '@asyncops/contracts';
import { compileOrderSummaryQuery } from './order-summary-sql';

const base: QueryPlan = { object: 'OrderSummary', select: ['Id'], count: false, where: null, orderBy: [], limit: null, offset: 0, forView: false };

describe('compileOrderSummaryQuery', () => {
  it('scopes to the owner, binds every value, joins the account and pages in a total order', () => {
    const c = compileOrderSummaryQuery(
      {
        ...base,
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
      },
      'acme',
      2000,
      2000,
    );
    expect(c.sql).toContain('s."grand_total_amount"::text AS "c2", a."name" AS "c3", \'Created\'::text AS "c4", a."number" AS "c5", count(*) OVER () AS "total"');
    expect(c.sql).toContain(
      'WHERE s."owner_id" = $1::text AND ((s."external_reference_identifier" = $2::text) AND (s."grand_total_amount" >= $3::numeric) AND (lower(a."name") = lower($4::text)) AND (s."currency_iso_code" = ANY($5::text[])))',
    );
    expect(c.sql).toContain('ORDER BY s."created_at" DESC NULLS LAST, s."number" ASC LIMIT $6::bigint OFFSET $7::bigint');
    expect(c.sql).not.toContain('DROP');
    expect(c.values).toEqual(['acme', "x'; DROP TABLE y; --", '10.50', 'Ada', ['EUR', 'USD'], 500, 2003]);
    expect(c.relationships).toEqual(['Account']);
    expect(c.kinds).toEqual(['number', 'number', 'numeric', 'text', 'text', 'number']);
  });

  it('refuses what OrderSummary does not answer', () => {
    expect(() => compileOrderSummaryQuery({ ...base, count: true }, 'a', 0, 10)).toThrow(QueryPlanError);
    expect(() => compileOrderSummaryQuery({ ...base, where: { kind: 'semiJoin', field: 'Id', negate: false, subField: 'Id', where: null } }, 'a', 0, 10)).toThrow(QueryPlanError);
  });
});
