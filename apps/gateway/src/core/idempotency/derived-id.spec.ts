import { derivedOperationId } from './derived-id';

describe('derivedOperationId', () => {
  const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const exec = '5b0a7c36-3f0e-4a8e-9d1c-0c9e6f2b7a11';

  it('is a version-4 UUID, the same for the same execution and label', () => {
    expect(derivedOperationId(exec, 'price')).toMatch(UUID_V4);
    expect(derivedOperationId(exec, 'price')).toBe(derivedOperationId(exec, 'price'));
  });

  it('differs by label and by execution', () => {
    expect(derivedOperationId(exec, 'price')).not.toBe(derivedOperationId(exec, 'tax'));
    expect(derivedOperationId(exec, 'price')).not.toBe(derivedOperationId('6b0a7c36-3f0e-4a8e-9d1c-0c9e6f2b7a11', 'price'));
  });
});
