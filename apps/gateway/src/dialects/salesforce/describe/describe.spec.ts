import { ASYNC_OPERATION_TRACKER, INACTIVE_JOB_TYPES } from '@asyncops/contracts';
import { vendorFacts } from '@asyncops/testing';
import { itDescribesTheSeedFields } from '../../../../test/support/seed-describe';
import { describeGlobal, describeLayout, describeSObject } from './describe';

/*
 * Holds describe to the vendor document's facts (a fixture cross-checked against the document
 * whenever it is present): a field, property, picklist value or relationship typed from memory fails here.
 */
const seedFields = () => vendorFacts().asyncOperationTracker.fields;

const SEED_TYPES: Record<string, string> = { string: 'string', dateTime: 'datetime', int: 'int', picklist: 'picklist', reference: 'reference' };

describe('describe of AsyncOperationTracker', () => {
  const seed = seedFields();
  const described = describeSObject(ASYNC_OPERATION_TRACKER, '60.0');
  const byName = new Map(described.fields.map((f) => [f.name, f]));

  itDescribesTheSeedFields(seed, described.fields, (t) => SEED_TYPES[t], (d, f, has) => {
    expect(d).toMatchObject({ autoNumber: has('Autonumber'), idLookup: has('idLookup'), createable: false });
    const active = d.picklistValues.filter((v) => v.active);
    // Values and labels as the seed has them; Status is listed in lifecycle order rather than the seed's alphabetical one.
    expect(active.map((v) => [v.value, v.label]).sort()).toEqual([...f.picklist].sort());
    for (const v of d.picklistValues) expect(v).toEqual({ active: v.active, defaultValue: false, label: v.label, validFor: null, value: v.value });
  });

  it('lists the Voucherify async action types JobType also holds as inactive values', () => {
    const inactive = byName.get('JobType')?.picklistValues.filter((v) => !v.active).map((v) => v.value);
    expect(inactive).toEqual([...INACTIVE_JOB_TYPES]);
  });

  it('carries the object flags of the seed supported calls', () => {
    expect(described).toMatchObject({
      name: 'AsyncOperationTracker',
      keyPrefix: '0Ao',
      queryable: true,
      retrieveable: true,
      deletable: true,
      replicateable: true,
      createable: false,
      updateable: false,
      urls: { describe: '/services/data/v60.0/sobjects/AsyncOperationTracker/describe' },
    });
    expect(described.childRelationships).toEqual([expect.objectContaining({ childSObject: 'AsyncOperationTracker', field: 'ParentOperationId' })]);
  });

  it('offers describeGlobal and describeLayout', () => {
    expect(describeGlobal('60.0').sobjects).toEqual([
      expect.objectContaining({ name: 'AsyncOperationTracker', keyPrefix: '0Ao' }),
      expect.objectContaining({ name: 'OrderSummary', keyPrefix: '1Os', queryable: true, deletable: false }),
      expect.objectContaining({ name: 'PendingOrderSummary', keyPrefix: '0ps' }),
    ]);
    const rows = describeLayout(ASYNC_OPERATION_TRACKER).layouts[0].detailLayoutSections[0].layoutRows;
    expect(rows.map((r) => r.layoutItems[0].layoutComponents[0].value)).toEqual(ASYNC_OPERATION_TRACKER.fields.map((f) => f.name));
  });
});
