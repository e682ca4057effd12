import { compilePendingOrderQuery, PendingOrderQueryError } from './pending-order-sql';

describe('compilePendingOrderQuery', () => {
  const base = { ownerId: 'client-1', select: ['Id', 'Account.Name', 'convertCurrency(GrandTotalAmount)'] as const, where: [], orderBy: [], offset: 0, pageSize: 2000 };

  it('scopes to the owner, binds every value and spells out the seed null ordering', () => {
    const { rows, count } = compilePendingOrderQuery({
      ...base,
      select: [...base.select],
      where: [
        { field: 'ExternalReferenceIdentifier', value: "a'; DROP TABLE x; --" },
        { field: 'AccountId', value: 7 },
      ],
      orderBy: [
        { field: 'OrderedDate', direction: 'DESC' },
        { field: 'ExternalReferenceIdentifier', direction: 'ASC' },
      ],
      limit: 10,
    });
    expect(rows.sql).toContain('p."owner_id" = $1 AND p."external_reference_identifier" = $2 AND p."account_number" = $3');
    expect(rows.sql).toContain('ORDER BY p."ordered_date" DESC NULLS LAST, p."external_reference_identifier" ASC NULLS FIRST, p."number" ASC');
    expect(rows.sql).not.toContain('DROP');
    expect(rows.params).toEqual(['client-1', "a'; DROP TABLE x; --", 7, 10, 0]);
    expect(rows.sql).toContain('round(p."grand_total_amount" / r."conversion_rate", 2)');
    expect(count.params).toEqual(['client-1', "a'; DROP TABLE x; --", 7]);
  });

  it('pages within the LIMIT', () => {
    expect(compilePendingOrderQuery({ ...base, select: ['Id'], offset: 2000, pageSize: 2000, limit: 2500 }).rows.params).toEqual(['client-1', 500, 2000]);
  });

  it('refuses a value of the wrong type for an id field', () => {
    expect(() => compilePendingOrderQuery({ ...base, select: ['Id'], where: [{ field: 'AccountId', value: 'x' }] })).toThrow(PendingOrderQueryError);
  });
});
