import { PENDING_ORDER_SUMMARY_OBJECT } from '@asyncops/soql';
import { checkPendingOrderInput } from '@asyncops/contracts';
import { vendorFacts } from '@asyncops/testing';
import { itDescribesTheSeedFields } from '../../../../test/support/seed-describe';
import { describePendingOrderSummary, pendingOrderSummaryCompactLayouts } from './pending-order-summary.describe';

/*
 * Holds the PendingOrderSummary describe to the vendor document's facts (a fixture cross-checked
 * against the document whenever it is present): a field, type, property, picklist value or
 * relationship typed from memory fails here.
 */
const seedFields = () => vendorFacts().pendingOrderSummary.fields;

const SEED_TYPES: Record<string, string> = { dateTime: 'datetime' };

describe('describe of PendingOrderSummary (seed 002)', () => {
  const seed = seedFields();
  const described = describePendingOrderSummary('62.0');
  const byName = new Map(described.fields.map((f) => [f.name, f]));

  itDescribesTheSeedFields(seed, described.fields, (t) => SEED_TYPES[t] ?? t, (d, f) => {
    expect(d.picklistValues.map((v) => v.value).sort()).toEqual(f.picklist.map(([value]) => value).sort());
  });

  it('requires on create exactly the seed fields that are neither nillable nor defaulted', async () => {
    const createRequired = seed.filter((f) => !f.properties.includes('Nillable') && !f.properties.includes('Defaulted on create') && byName.get(f.name)?.createable).map((f) => f.name);
    const out = await checkPendingOrderInput({});
    expect(out.ok).toBe(false);
    if (!out.ok) expect([...out.errors[0].fields].sort()).toEqual(createRequired.sort());
  });

  it('is createable, deletable, queryable and not updateable, with the key prefix and a compact layout', () => {
    expect(described).toMatchObject({ name: 'PendingOrderSummary', keyPrefix: '0ps', createable: true, deletable: true, queryable: true, updateable: false, triggerable: false });
    expect(pendingOrderSummaryCompactLayouts().compactLayouts[0].fieldItems.map((i) => i.label)).toContain('External Reference Identifier');
  });
});

describe('the SOQL description of PendingOrderSummary agrees with its describe', () => {
  const byName = new Map(describePendingOrderSummary('62.0').fields.map((f) => [f.name, f]));

  it.each(PENDING_ORDER_SUMMARY_OBJECT.fields.map((f) => [f.name, f] as const))('%s: filterable, groupable, sortable and nillable as described', (name, field) => {
    const described = byName.get(name);
    expect(described).toMatchObject({ filterable: field.filterable, groupable: field.groupable, sortable: field.sortable, nillable: field.nillable });
  });

  it('describes every field SOQL reads, and only ExternalId is not queryable', () => {
    const queryable = new Set(PENDING_ORDER_SUMMARY_OBJECT.fields.map((f) => f.name));
    expect([...byName.keys()].filter((n) => !queryable.has(n))).toEqual(['ExternalId']);
  });
});
