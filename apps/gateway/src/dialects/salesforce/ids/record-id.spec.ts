import { checksumSuffix, decodeRecordId, encodeRecordId, ownerRecordId, salesforceDateTime, to18 } from './record-id';

describe('Salesforce record ids', () => {
  it('computes the case-safe suffix exactly as Salesforce does', () => {
    // 001A0000006Vm9r → …IAC is Salesforce's documented example; the others follow the bit rule.
    expect(to18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(checksumSuffix('003D000000QZ2Ns')).toBe('IAL');
    expect(checksumSuffix('000000000000000')).toBe('AAA');
    expect(checksumSuffix('AAAAAAAAAAAAAAA')).toBe('555');
  });

  it('encodes auto-numbers under the key prefix and decodes them back', () => {
    for (const n of [1, 61, 62, 3843, 1_000_000, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
      const id = encodeRecordId('0Ao', n);
      expect(id).toHaveLength(18);
      expect(id.startsWith('0Ao')).toBe(true);
      expect(decodeRecordId('0Ao', id)).toEqual({ ok: true, number: n, id18: id });
      expect(decodeRecordId('0Ao', id.slice(0, 15))).toEqual({ ok: true, number: n, id18: id });
    }
    expect(encodeRecordId('0Ao', 62)).toBe('0Ao000000000010CAA');
  });

  it('restores the case of an 18-character id from its suffix', () => {
    const id = encodeRecordId('0Ao', 987_654_321);
    expect(decodeRecordId('0Ao', id.toLowerCase().slice(0, 15) + id.slice(15))).toMatchObject({ ok: true, number: 987_654_321 });
  });

  it.each([
    ['too short', '0Ao00000000001', 'shape'],
    ['too long', '0Ao000000000001AAAA', 'shape'],
    ['not alphanumeric', '0Ao00000000-001', 'shape'],
    ['another object', '001000000000001AAA', 'value'],
    ['a wrong suffix', '0Ao000000000001CA9', 'value'],
    ['a suffix that disagrees with the case', '0Ao000000000001DAA', 'value'],
    ['number zero', '0Ao000000000000CAA', 'value'],
    ['a number beyond the safe range', `0Ao${'z'.repeat(12)}`, 'value'],
  ])('refuses %s', (_what, id, problem) => {
    expect(decodeRecordId('0Ao', id)).toEqual({ ok: false, problem });
  });

  it('gives each client a stable User-style owner id', () => {
    const a = ownerRecordId('005', 'acme');
    expect(a).toMatch(/^005[0-9A-Za-z]{15}$/);
    expect(ownerRecordId('005', 'acme')).toBe(a);
    expect(ownerRecordId('005', 'globex')).not.toBe(a);
    expect(checksumSuffix(a.slice(0, 15))).toBe(a.slice(15));
  });

  it('formats dateTimes as Salesforce does', () => {
    expect(salesforceDateTime('2024-01-31T12:34:56Z')).toBe('2024-01-31T12:34:56.000+0000');
  });
});
