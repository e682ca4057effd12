/**
 * Helpers shared by every enumeration in this library. Each enumeration is an `as const` list so the
 * list itself is the single source of truth: the union type, the runtime guard and the labels are all
 * derived from it and cannot drift apart.
 */

/**
 * Builds a type guard for a list of string literals. Values reach us from HTTP bodies, query strings,
 * broker messages and database rows, so the guard accepts `unknown` and never trusts the static type.
 */
export function oneOf<T extends string>(values: readonly T[]): (x: unknown) => x is T {
  const members: ReadonlySet<unknown> = new Set<unknown>(values);
  return (x: unknown): x is T => typeof x === 'string' && members.has(x);
}

/**
 * Builds a complete label map from the labels a vendor document spells out. Salesforce only prints a
 * label where it differs from the API name; everywhere else its describe call reports the API name as
 * the label, so that is the default here too.
 */
export function withLabels<T extends string>(
  values: readonly T[],
  explicit: Readonly<Partial<Record<T, string>>>,
): Readonly<Record<T, string>> {
  const labels = {} as Record<T, string>;
  for (const value of values) {
    labels[value] = explicit[value] ?? value;
  }
  return Object.freeze(labels);
}
