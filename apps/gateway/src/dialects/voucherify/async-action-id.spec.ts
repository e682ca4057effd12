import { toAsyncActionId, toOperationId } from './async-action-id';

describe('async action ids', () => {
  const uuid = '3f2c1b0a-9e8d-4c7b-a6f5-e4d3c2b1a098';

  it('is aa_ followed by the operation uuid as 32 hex digits, and maps back', () => {
    expect(toAsyncActionId(uuid)).toBe('aa_3f2c1b0a9e8d4c7ba6f5e4d3c2b1a098');
    expect(toOperationId(toAsyncActionId(uuid))).toBe(uuid);
    expect(toAsyncActionId(uuid.toUpperCase())).toBe('aa_3f2c1b0a9e8d4c7ba6f5e4d3c2b1a098');
  });

  it.each(['', 'aa_', 'aa_0adad13d6f057f088e', `aa_${'g'.repeat(32)}`, uuid, 'AA_3f2c1b0a9e8d4c7ba6f5e4d3c2b1a098', 'aa_3f2c1b0a9e8d4c7ba6f5e4d3c2b1a0989'])(
    '%p names no operation',
    (id) => expect(toOperationId(id)).toBeUndefined(),
  );

  it('refuses to encode something that is not a uuid', () => {
    expect(() => toAsyncActionId('nope')).toThrow(/not a uuid/);
  });
});
