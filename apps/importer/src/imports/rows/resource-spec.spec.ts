import type { EntityManager } from 'typeorm';
import { cell, unnestParams } from './resource-spec';

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
});
