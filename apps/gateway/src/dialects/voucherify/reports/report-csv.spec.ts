import { csvCell, csvLine, neutralizeFormula } from './report-csv';

describe('failure report CSV', () => {
  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['CODE-1', 'CODE-1'],
    ['a=b', 'a=b'],
  ])('neutralises %p as %p', (input, output) => expect(neutralizeFormula(input)).toBe(output));

  it('quotes cells with separators, quotes and line breaks after neutralising', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('\rsplit')).toBe(`"'\rsplit"`);
    expect(csvCell(null)).toBe('');
    expect(csvCell(-5)).toBe('-5');
  });

  it('ends each line with CRLF', () => {
    expect(csvLine([12, 'CODE', 'Resource voucher with code CODE already exists'])).toBe('12,CODE,Resource voucher with code CODE already exists\r\n');
  });
});
