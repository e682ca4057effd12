import type { EntityManager } from 'typeorm';
import { cell, unnestParams, upsertBySourceId } from './resource-spec';

describe('resource spec helpers', () => {
  it('lays out an unnest upsert: owner, operation, then one array per column in column order', () => {
    const ctx = { manager: {} as EntityManager, ownerId: 'o-1', operationId: 'op-1', campaignId: null };
    const rows = [
      { row: 1, key: 'a', value: { id: 'a', n: 1 } },
      { row: 2, key: 'b', value: { id: 'b', n: 2 } },
    ];
    expect(unnestParams(ctx, rows, [(v) => v.id, (v) => v.n * 10])).toEqual(['o-1', 'op-1', ['a', 'b'], [10, 20]]);
  });

  it('reads an empty or blank cell as absent and trims the others', () => {
    expect(cell({ a: '  x ', b: '   ', c: '' }, 'a')).toBe('x');
    expect(cell({ a: '  x ', b: '   ', c: '' }, 'b')).toBeUndefined();
    expect(cell({ a: '  x ', b: '   ', c: '' }, 'missing')).toBeUndefined();
  });

  it('upserts on the owner and source_id: every column replaced but the key, a row this import wrote left alone', async () => {
    const calls: Array<{ sql: string; params: unknown[] }> = [];
    const manager = { query: async (sql: string, params: unknown[]) => (calls.push({ sql, params }), [{ key: 'a' }]) } as unknown as EntityManager;
    const ctx = { manager, ownerId: 'o-1', operationId: 'op-1', campaignId: null };
    const written = await upsertBySourceId(
      ctx,
      'product',
      [
        { name: 'source_id', type: 'text', value: (v: { id: string; n: number }) => v.id },
        { name: 'price', type: 'bigint', value: (v) => v.n },
      ],
      [{ row: 1, key: 'a', value: { id: 'a', n: 1 } }],
    );
    expect(written).toEqual([{ key: 'a' }]);
    expect(calls[0].params).toEqual(['o-1', 'op-1', ['a'], [1]]);
    expect(calls[0].sql.replace(/\s+/g, ' ')).toBe(
      'INSERT INTO "importer"."product" AS r ("owner_id", "import_operation_id", "source_id", "price") ' +
        'SELECT $1, $2, t.* FROM unnest($3::text[], $4::bigint[]) AS t ' +
        'ON CONFLICT ("owner_id", "source_id") DO UPDATE SET "price" = EXCLUDED."price", "import_operation_id" = EXCLUDED."import_operation_id", "updated_at" = now() ' +
        'WHERE r."import_operation_id" IS DISTINCT FROM EXCLUDED."import_operation_id" RETURNING "source_id" AS key',
    );
  });
});
