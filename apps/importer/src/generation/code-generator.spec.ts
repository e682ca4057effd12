import { codeSpace, generateCodes } from './code-generator';

describe('voucher code generation', () => {
  const config = { length: 6, charset: 'ABCDEFGHJK0123456789', prefix: 'SUM-', postfix: '-24' };

  it('builds codes from prefix, charset characters of the given length, and postfix, all distinct', () => {
    const codes = generateCodes(config, 500);
    expect(new Set(codes).size).toBe(500);
    for (const c of codes) expect(c).toMatch(/^SUM-[A-HJK0-9]{6}-24$/);
  });

  it('counts the code space from distinct charset characters', () => {
    expect(codeSpace({ length: 3, charset: 'AAB', prefix: '', postfix: '' })).toBe(8);
    expect(codeSpace({ length: 64, charset: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', prefix: '', postfix: '' })).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('stops instead of spinning when the space is smaller than asked for', () => {
    expect(generateCodes({ length: 1, charset: 'AB', prefix: '', postfix: '' }, 5).sort()).toEqual(['A', 'B']);
  });
});
