import type { AccountMatching } from '@asyncops/contracts';

export interface Shopper {
  name: string;
  email: string;
  phone: string | null;
}

/**
 * The key an account is unique by, per owner. `Email` is the seed's simple email method; the
 * `MatchingRule` compares name, email and phone, loosely as a duplicate rule would: case and
 * spacing of name and email do not matter, and a phone number is its digits.
 */
export function accountMatchKey(method: AccountMatching, shopper: Shopper): string {
  const email = shopper.email.trim().toLowerCase();
  if (method === 'Email') return `email:${email}`;
  const name = shopper.name.trim().toLowerCase().replace(/\s+/g, ' ');
  const phone = (shopper.phone ?? '').replace(/\D/g, '');
  return `rule:${name}|${email}|${phone}`;
}
