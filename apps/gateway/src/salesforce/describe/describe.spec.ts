import * as fs from 'node:fs';
import * as path from 'node:path';
import { ASYNC_OPERATION_TRACKER, INACTIVE_JOB_TYPES } from '@asyncops/contracts';
import { describeGlobal, describeLayout, describeSObject } from './describe';

/*
 * Holds describe to the vendor document itself, read at run time: a field, property, picklist
 * value or relationship typed from memory, or a seed that changes underneath us, fails here.
 */
const SEEDS_DIR = path.resolve(__dirname, '../../../../../../shared/seeds');
const BULLET = '\u2022';
const EM_DASH = '\u2014';

interface SeedField {
  name: string;
  type: string;
  properties: string[];
  picklist: Map<string, string>;
  relationshipName?: string;
  refersTo?: string[];
}

function seedFields(): SeedField[] {
  const file = fs.readdirSync(SEEDS_DIR).find((f) => f.startsWith('000_') && f.endsWith('.txt'));
  if (!file) throw new Error(`No seed 000_*.txt in ${SEEDS_DIR}`);
  const lines = fs.readFileSync(path.join(SEEDS_DIR, file), 'utf8').split('\n');
  const starts = lines.flatMap((line, i) => (lines[i + 1] === 'Type' && line.trim() !== '' ? [i] : []));
  return starts.map((start, k) => {
    const body = lines.slice(start + 1, starts[k + 1] ?? lines.length);
    const after = (label: string) => body[body.indexOf(label) + 1]?.trim();
    const picklist = new Map<string, string>();
    const from = body.indexOf('Possible values are:');
    if (from >= 0) {
      for (const line of body.slice(from + 1)) {
        const trimmed = line.trim();
        if (!trimmed.startsWith(BULLET)) break;
        const [value, label] = trimmed.slice(1).split(EM_DASH);
        picklist.set(value.trim(), (label ?? value).trim());
      }
    }
    return {
      name: lines[start].trim(),
      type: after('Type'),
      properties: after('Properties').split(',').map((p) => p.trim()),
      picklist,
      relationshipName: body.includes('Relationship Name') ? after('Relationship Name') : undefined,
      refersTo: body.includes('Refers To') ? after('Refers To').split(',').map((s) => s.trim()) : undefined,
    };
  });
}

const SEED_TYPES: Record<string, string> = { string: 'string', dateTime: 'datetime', int: 'int', picklist: 'picklist', reference: 'reference' };

describe('describe of AsyncOperationTracker', () => {
  const seed = seedFields();
  const described = describeSObject(ASYNC_OPERATION_TRACKER, '60.0');
  const byName = new Map(described.fields.map((f) => [f.name, f]));

  it('reads all 17 seed fields', () => {
    expect(seed).toHaveLength(17);
  });

  it('describes every seed field plus Id, and nothing else', () => {
    expect([...byName.keys()].sort()).toEqual(['Id', ...seed.map((f) => f.name)].sort());
  });

  it.each(seedFields().map((f) => [f.name, f] as const))('%s has the seed type and properties', (_name, f) => {
    const d = byName.get(f.name);
    expect(d).toBeDefined();
    const has = (p: string) => f.properties.includes(p);
    expect(d).toMatchObject({
      type: SEED_TYPES[f.type],
      filterable: has('Filter'),
      groupable: has('Group'),
      sortable: has('Sort'),
      nillable: has('Nillable'),
      autoNumber: has('Autonumber'),
      idLookup: has('idLookup'),
      restrictedPicklist: has('Restricted picklist'),
      defaultedOnCreate: has('Defaulted on create'),
      createable: false,
      updateable: false,
    });
    expect(d?.relationshipName).toBe(f.relationshipName ?? null);
    expect(d?.referenceTo).toEqual(f.refersTo ?? []);
    const active = (d?.picklistValues ?? []).filter((v) => v.active);
    // Values and labels as the seed has them; Status is listed in lifecycle order rather than the seed's alphabetical one.
    expect(active.map((v) => [v.value, v.label]).sort()).toEqual([...f.picklist.entries()].sort());
    for (const v of d?.picklistValues ?? []) expect(v).toEqual({ active: v.active, defaultValue: false, label: v.label, validFor: null, value: v.value });
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
