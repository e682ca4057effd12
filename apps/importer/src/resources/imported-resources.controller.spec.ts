import { IMPORTED_RESOURCES } from '@asyncops/contracts';
import { InvalidCursorError } from '@asyncops/messaging';
import { decodeResourceCursor, encodeResourceCursor, RESOURCE_TABLES } from './imported-resources.controller';

describe('imported resource reads', () => {
  it('knows a table and key for every resource the contract allows', () => {
    expect(Object.keys(RESOURCE_TABLES).sort()).toEqual([...IMPORTED_RESOURCES].sort());
  });

  it('round-trips cursors, including keys with any characters', () => {
    for (const key of ['SUMMER-2026', "a'b\"c", 'ünïcødé', '   ']) expect(decodeResourceCursor(encodeResourceCursor(key))).toBe(key);
  });

  it('refuses cursors it did not issue', () => {
    expect(() => decodeResourceCursor('bm9wZQ')).toThrow(InvalidCursorError);
    expect(() => decodeResourceCursor(Buffer.from('k:').toString('base64url'))).toThrow(/cursor/);
  });
});
