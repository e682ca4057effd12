import { firstViolation } from '../imports/rows/resource-spec';
import { CustomerChange, ProductChange } from './bulk/bulk-update';

describe('shared field rules', () => {
  it('accepts a change with only its key: every other field is optional', () => {
    expect(firstViolation(ProductChange, { source_id: 'p-1' })).toHaveProperty('value');
  });

  it('words each failure as the client sees it, the first field in declaration order first', () => {
    expect(firstViolation(ProductChange, { source_id: '', price: 'x' })).toEqual({ reason: 'source_id is required and must be at most 255 characters' });
    expect(firstViolation(ProductChange, { source_id: 'p-1', price: '12.5' })).toEqual({ reason: 'price must be a non-negative integer amount in cents' });
    expect(firstViolation(CustomerChange, { source_id: 'c-1', email: 'nope' })).toEqual({ reason: 'email must be a valid email address' });
    expect(firstViolation(CustomerChange, { source_id: 'c-1', phone: 'x'.repeat(65) })).toEqual({ reason: 'phone must be at most 64 characters' });
    expect(firstViolation(CustomerChange, { source_id: 'c-1', metadata: 'x' })).toEqual({ reason: 'metadata must be an object' });
  });
});
