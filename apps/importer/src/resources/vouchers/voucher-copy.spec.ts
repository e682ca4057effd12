import { copyText } from '../../imports/copy/copy-spec';
import { cellsOf } from '../../imports/copy/copy-batch';
import { normalizeHeader } from '../../imports/csv/csv-reader';
import { compileVoucherRow, voucherCopy } from './voucher-copy';
import { parseVoucherRow, VOUCHER_COLUMNS } from './voucher-row';

const HEADER = ['Code', 'Voucher Type', 'Value', 'Discount Type', 'Category', 'Start Date', 'Expiration Date', 'Redemption Limit', 'Active', 'Additional Info', 'Color', ' '];
const COLUMNS = HEADER.map(normalizeHeader);
const KNOWN = new Set(VOUCHER_COLUMNS);

/** Candidate cell values per column: valid ones, edge cases and every kind of invalid one. */
const CANDIDATES: string[][] = [
  ['A-1', ' B2 ', '', 'a b', 'x'.repeat(100), 'x'.repeat(101), 'Zażółć', '\\back'],
  ['', 'DISCOUNT_VOUCHER', 'gift_voucher', 'LOYALTY', ' discount_voucher '],
  ['', '10', '150', '0.5', '-1', '1.23456', '5000', 'abc', '100'],
  ['', 'PERCENT', 'amount', 'unit', 'HALF'],
  ['', 'spring', 'x'.repeat(255), 'x'.repeat(256), 'tab\there'],
  ['', '2026-01-01', '2026-01-01T00:00:00Z', '31/12/2026', '2026-02-30', '2026-13-01'],
  ['', '2026-12-31T00:00:00Z', '2025-01-01', 'never'],
  ['', '5', '0', '1234567890', '12'],
  ['', 'true', 'FALSE', 'yes'],
  ['', 'info', 'line\nbreak'],
  ['', 'blue', ' '],
  ['', 'ignored'],
];

function* rows(): Generator<string[]> {
  // A deterministic walk over combinations (every candidate of each column appears many times).
  let s = 7;
  for (let n = 0; n < 20_000; n++) {
    yield CANDIDATES.map((c) => {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      return c[s % c.length];
    });
  }
}

describe('compileVoucherRow', () => {
  const fast = compileVoucherRow(HEADER, COLUMNS);

  it('accepts exactly the same values as the row class, and only rows the row class accepts', () => {
    expect(fast).toBeDefined();
    let accepted = 0;
    let deferred = 0;
    for (const values of rows()) {
      const slow = parseVoucherRow(...cellsOf(HEADER, COLUMNS, KNOWN, values));
      const quick = fast!(values);
      if (quick) {
        accepted++;
        expect({ values, outcome: slow }).toEqual({ values, outcome: { ok: true, key: quick.key, value: quick.value } });
      } else if (slow.ok) deferred++;
    }
    expect(accepted).toBeGreaterThan(100);
    // Only rows near a length limit (counted in code points by the row class) are left to it.
    expect(deferred).toBeLessThan(accepted);
  });

  it('leaves headers with repeated metadata columns to the row class', () => {
    expect(compileVoucherRow(['Code', 'Note', 'Note'], ['code', 'note', 'note'])).toBeUndefined();
  });
});

describe('voucher COPY text', () => {
  it('escapes backslashes, tabs and line breaks and writes nulls as \\N', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyText('plain')).toBe('plain');
  });

  it('encodes one row per line in the staging table column order', () => {
    const line = voucherCopy.encode({
      code: 'A\\1',
      type: 'DISCOUNT_VOUCHER',
      discountType: 'PERCENT',
      discountValue: '10',
      giftAmount: null,
      category: null,
      startDate: '2026-01-01',
      expirationDate: null,
      redemptionLimit: 5,
      active: false,
      additionalInfo: 'x\ty',
      metadata: { Note: 'a\nb' },
    });
    expect(line).toBe('A\\\\1\tDISCOUNT_VOUCHER\tPERCENT\t10\t\\N\t\\N\t2026-01-01\t\\N\t5\tf\tx\\ty\t{"Note":"a\\\\nb"}\n');
  });

  it('writes the direct COPY columns in order: owner, campaign and operation, then the staging columns after row', () => {
    const direct = voucherCopy.direct!;
    const copyColumns = /\(([^)]*)\) FROM STDIN/.exec(direct.copy)![1].split(',').map((c) => c.trim().replace(/"/g, ''));
    const stageColumns = voucherCopy.stageColumns.split(',').map((c) => /"([^"]+)"/.exec(c)![1]);
    expect(copyColumns).toEqual(['owner_id', 'campaign_id', 'import_operation_id', ...stageColumns.slice(1)]);
    expect(direct.prefix('owner\\1', null, 'op')).toBe('owner\\\\1\t\\N\top\t');
  });
});
