import { childOperationId, isUuid, newOperationId } from './ids';

describe('newOperationId', () => {
  it('returns a version 4 UUID', () => {
    expect(newOperationId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('returns a different id each time', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newOperationId()));
    expect(ids.size).toBe(1000);
  });
});

describe('isUuid', () => {
  it.each([
    ['a generated id', newOperationId()],
    ['upper case', 'F47AC10B-58CC-4372-A567-0E02B2C3D479'],
    ['version 1', 'c232ab00-9414-11ec-b3c8-9f6bdeced846'],
    ['version 7', '017f22e2-79b0-7cc3-98c4-dc0c0c07398f'],
  ])('accepts %s', (_case, value) => {
    expect(isUuid(value)).toBe(true);
  });

  it.each([
    ['the nil UUID', '00000000-0000-0000-0000-000000000000'],
    ['the max UUID', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
    ['no hyphens', 'f47ac10b58cc4372a5670e02b2c3d479'],
    ['braces', '{f47ac10b-58cc-4372-a567-0e02b2c3d479}'],
    ['a trailing newline', 'f47ac10b-58cc-4372-a567-0e02b2c3d479\n'],
    ['a non-RFC variant', 'f47ac10b-58cc-4372-c567-0e02b2c3d479'],
    ['a Voucherify id', 'aa_0adad13d6f057f088e'],
    ['a number', 42],
    ['null', null],
  ])('rejects %s', (_case, value) => {
    expect(isUuid(value)).toBe(false);
  });
});

describe('childOperationId', () => {
  const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const parent = '5b0a7c36-3f0e-4a8e-9d1c-0c9e6f2b7a11';

  it('is a version-4 UUID, the same for the same parent and label', () => {
    expect(childOperationId(parent, 'price')).toMatch(UUID_V4);
    expect(childOperationId(parent, 'price')).toBe(childOperationId(parent, 'price'));
  });

  it('differs by label and by parent', () => {
    expect(childOperationId(parent, 'price')).not.toBe(childOperationId(parent, 'tax'));
    expect(childOperationId(parent, 'price')).not.toBe(childOperationId('6b0a7c36-3f0e-4a8e-9d1c-0c9e6f2b7a11', 'price'));
  });

  it('is sha256("<parent>:<label>") in UUID layout, so keyed retries keep naming children as before', () => {
    expect(childOperationId(parent, 'price')).toBe('ecf014f5-5cee-446d-9391-c78f67c02f70');
  });
});
