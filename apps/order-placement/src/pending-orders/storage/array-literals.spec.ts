import { prepareValue } from 'pg/lib/utils';
import { numberArray, textArray } from './array-literals';

describe('array literals', () => {
  it('numbers and decimal texts as they are', () => {
    expect(numberArray([1, 22, 333])).toBe('{1,22,333}');
    expect(numberArray(['1.50', '-0.25', '12'])).toBe('{1.50,-0.25,12}');
    expect(numberArray([])).toBe('{}');
  });

  it('texts quoted and escaped as the driver does, NULL for null', () => {
    const values = ['SKU-1', 'a "quoted" \\ back', 'NULL', 'with, comma {braces}', ' spaced ', 'é😀', '', null];
    expect(textArray(values)).toBe(prepareValue(values));
    expect(textArray([])).toBe('{}');
  });
});
