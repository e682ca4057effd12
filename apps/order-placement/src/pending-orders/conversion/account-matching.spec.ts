import { accountMatchKey } from './account-matching';

describe('accountMatchKey', () => {
  const ada = { name: 'Ada Lovelace', email: 'Ada@Example.com', phone: '+1 (555) 0100' };

  it('matches by email alone, ignoring case', () => {
    expect(accountMatchKey('Email', ada)).toBe(accountMatchKey('Email', { name: 'Someone Else', email: ' ada@example.COM', phone: null }));
  });

  it('with the matching rule, name, email and phone must all agree (loosely normalised)', () => {
    const key = accountMatchKey('MatchingRule', ada);
    expect(accountMatchKey('MatchingRule', { name: 'ada  lovelace', email: 'ada@example.com', phone: '15550100' })).toBe(key);
    expect(accountMatchKey('MatchingRule', { ...ada, phone: '+1 555 0101' })).not.toBe(key);
    expect(accountMatchKey('MatchingRule', { ...ada, name: 'Ada King' })).not.toBe(key);
  });
});
