import { idFromKey } from './single-resources';

describe('idFromKey', () => {
  it('reads a uuid or the prefixed hex form', () => {
    expect(idFromKey('3F2C1B0A-9E8D-4C7B-A6F5-0123456789AB', 'v_')).toBe('3f2c1b0a-9e8d-4c7b-a6f5-0123456789ab');
    expect(idFromKey('v_3f2c1b0a9e8d4c7ba6f50123456789ab', 'v_')).toBe('3f2c1b0a-9e8d-4c7b-a6f5-0123456789ab');
  });

  it('answers null for anything else, so the key is only matched as a code, name or source_id', () => {
    for (const key of ['SPRING-1', 'camp_3f2c1b0a9e8d4c7ba6f50123456789ab', 'v_3f2c', 'v_3f2c1b0a9e8d4c7ba6f50123456789abcd']) expect(idFromKey(key, 'v_')).toBeNull();
  });
});
