import { isUuid } from '@asyncops/domain';
import { nameBasedMessageId } from './message-ids';

describe('nameBasedMessageId', () => {
  it('is a stable UUID per name and differs between names', () => {
    const a = nameBasedMessageId('place-batch:o1:2');
    expect(isUuid(a)).toBe(true);
    expect(a[14]).toBe('5');
    expect(nameBasedMessageId('place-batch:o1:2')).toBe(a);
    expect(nameBasedMessageId('place-batch:o1:3')).not.toBe(a);
  });
});
