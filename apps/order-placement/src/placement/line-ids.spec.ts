import { isUuid } from '@asyncops/domain';
import { newOrderLineId } from './line-ids';

describe('newOrderLineId', () => {
  it('is a version-7 UUID carrying the millisecond time', () => {
    const at = Date.UTC(2026, 11, 4, 18, 30, 0, 123);
    const id = newOrderLineId(at + 10_000_000);
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at + 10_000_000);
  });

  it('increases strictly, within a millisecond and past 4,096 ids in one, as the database orders uuids', () => {
    const at = Date.now() + 20_000_000;
    const ids = Array.from({ length: 10_000 }, () => newOrderLineId(at));
    const later = newOrderLineId(at + 1);
    const all = [...ids, later];
    for (let i = 1; i < all.length; i++) expect(all[i] > all[i - 1]).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });

  it('never goes back when the clock does', () => {
    const at = Date.now() + 30_000_000;
    const first = newOrderLineId(at);
    expect(newOrderLineId(at - 5_000) > first).toBe(true);
  });
});
