import type { DocumentField } from '@asyncops/testing';

/** What the seed-field checks read of a described field (both objects' describes have more). */
export interface DescribedField {
  name: string;
  relationshipName: string | null;
  referenceTo: string[];
}

/**
 * The checks every describe owes its vendor document: all 17 seed fields, nothing besides them
 * and Id, and each field's type, properties and relationship as the document has them.
 * `checkField` adds what one object's describe says beyond the common properties.
 */
export function itDescribesTheSeedFields<F extends DescribedField>(
  seed: DocumentField[],
  fields: F[],
  types: (seedType: string) => string,
  checkField: (described: F, seedField: DocumentField, has: (property: string) => boolean) => void = () => undefined,
): void {
  const byName = new Map(fields.map((f) => [f.name, f]));

  it('reads all 17 seed fields', () => {
    expect(seed).toHaveLength(17);
  });

  it('describes every seed field plus Id, and nothing else', () => {
    expect([...byName.keys()].sort()).toEqual(['Id', ...seed.map((f) => f.name)].sort());
  });

  it.each(seed.map((f) => [f.name, f] as const))('%s has the seed type and properties', (_name, f) => {
    const d = byName.get(f.name);
    if (!d) throw new Error(`${f.name} is not described`);
    const has = (p: string) => f.properties.includes(p);
    expect(d).toMatchObject({
      type: types(f.type),
      filterable: has('Filter'),
      groupable: has('Group'),
      sortable: has('Sort'),
      nillable: has('Nillable'),
      restrictedPicklist: has('Restricted picklist'),
      defaultedOnCreate: has('Defaulted on create'),
      updateable: false,
    });
    expect(d.relationshipName).toBe(f.relationshipName ?? null);
    expect(d.referenceTo).toEqual(f.refersTo ?? []);
    checkField(d, f, has);
  });
}
