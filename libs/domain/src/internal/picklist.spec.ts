import { oneOf, withLabels } from './picklist';

describe('oneOf', () => {
  const isColour = oneOf(['red', 'green'] as const);

  it('accepts members', () => {
    expect(isColour('red')).toBe(true);
    expect(isColour('green')).toBe(true);
  });

  it.each([['RED'], [' red'], [''], [null], [undefined], [1], [{}], [['red']]])('rejects %p', (value) => {
    expect(isColour(value)).toBe(false);
  });

  it('does not match inherited object keys', () => {
    expect(oneOf(['a'] as const)('toString')).toBe(false);
  });
});

describe('withLabels', () => {
  it('uses the explicit label where given and the value otherwise', () => {
    expect(withLabels(['a', 'b'] as const, { b: 'Bee' })).toEqual({ a: 'a', b: 'Bee' });
  });

  it('returns a frozen map so shared labels cannot be changed by a consumer', () => {
    expect(Object.isFrozen(withLabels(['a'] as const, {}))).toBe(true);
  });
});
