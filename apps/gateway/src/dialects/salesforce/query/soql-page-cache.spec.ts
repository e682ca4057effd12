import { preparedJsonOf } from '../../../core/http/prepared-json';
import { SoqlPageCache } from './soql-page-cache';

describe('SoqlPageCache', () => {
  const page = (n: number) => ({ totalSize: n, done: true, records: Array.from({ length: n }, (_, i) => ({ Id: `r${i}` })) });

  it('finds what it kept, serialised once, until the maximum age', () => {
    let now = 0;
    const cache = new SoqlPageCache<object>(1 << 20, 1000, () => now);
    const value = page(3);
    cache.set('k', { snapshot: '10:12:', value }, 0);
    expect(preparedJsonOf(value)?.json).toBe(JSON.stringify(value));
    now = 999;
    expect(cache.get('k')).toEqual({ snapshot: '10:12:', value, at: 0, bytes: 2 + JSON.stringify(value).length * 4 + 512 });
    now = 1000;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.usedBytes).toBe(0);
  });

  it('evicts the least recently used to stay within its budget, and never keeps one answer larger than it', () => {
    const one = 2 + JSON.stringify(page(10)).length * 4 + 512;
    const cache = new SoqlPageCache<object>(one * 2, 60_000);
    cache.set('a', { snapshot: 's', value: page(10) }, cache.clock());
    cache.set('b', { snapshot: 's', value: page(10) }, cache.clock());
    expect(cache.get('a')).toBeDefined();
    cache.set('c', { snapshot: 's', value: page(10) }, cache.clock());
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.usedBytes).toBe(one * 2);
    cache.set('huge', { snapshot: 's', value: page(100) }, cache.clock());
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('replaces a key and deletes one, keeping its count of bytes right', () => {
    const cache = new SoqlPageCache<object>(1 << 20, 60_000);
    cache.set('a', { snapshot: 's1', value: page(1) }, cache.clock());
    cache.set('a', { snapshot: 's2', value: page(2) }, cache.clock());
    expect(cache.get('a')?.snapshot).toBe('s2');
    expect(cache.usedBytes).toBe(2 + JSON.stringify(page(2)).length * 4 + 512);
    cache.delete('a');
    expect(cache.usedBytes).toBe(0);
  });

  it('keeps nothing when its budget or its maximum age is 0', () => {
    for (const cache of [new SoqlPageCache<object>(0, 60_000), new SoqlPageCache<object>(1 << 20, 0)]) {
      expect(cache.enabled).toBe(false);
      cache.set('a', { snapshot: 's', value: page(1) }, cache.clock());
      expect(cache.get('a')).toBeUndefined();
    }
  });
});
