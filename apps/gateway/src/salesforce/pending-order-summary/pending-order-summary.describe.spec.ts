import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkPendingOrderInput } from '@asyncops/contracts';
import { describePendingOrderSummary, pendingOrderSummaryCompactLayouts } from './pending-order-summary.describe';

/*
 * Holds the PendingOrderSummary describe to seed 002 itself, read at run time: a field, type,
 * property, picklist value or relationship typed from memory fails here.
 */
const SEEDS_DIR = path.resolve(__dirname, '../../../../../../shared/seeds');
const BULLET = '\u2022';
const EM_DASH = '\u2014';

interface SeedField {
  name: string;
  type: string;
  properties: string[];
  picklist: string[];
  relationshipName?: string;
  refersTo?: string;
}

function seedFields(): SeedField[] {
  const file = fs.readdirSync(SEEDS_DIR).find((f) => f.startsWith('002_') && f.endsWith('.txt'));
  if (!file) throw new Error(`No seed 002_*.txt in ${SEEDS_DIR}`);
  const text = fs.readFileSync(path.join(SEEDS_DIR, file), 'utf8');
  const lines = text.slice(text.indexOf('Field Details'), text.indexOf('\nUsage\n')).split('\n');
  const starts = lines.flatMap((line, i) => (lines[i + 1] === 'Type' && line.trim() !== '' ? [i] : []));
  return starts.map((start, k) => {
    const body = lines.slice(start + 1, starts[k + 1] ?? lines.length);
    const after = (label: string) => body[body.indexOf(label) + 1]?.trim();
    const props = after('Properties');
    const from = body.indexOf('Possible values are:');
    const picklist: string[] = [];
    if (from >= 0) {
      for (const line of body.slice(from + 1)) {
        const trimmed = line.trim();
        if (!trimmed.startsWith(BULLET)) break;
        picklist.push(trimmed.slice(1).split(EM_DASH)[0].trim());
      }
    }
    return {
      name: lines[start].trim(),
      type: after('Type'),
      // Payload's Properties line is empty in the seed: the next line is already its Description.
      properties: props === 'Description' ? [] : props.split(',').map((p) => p.trim()),
      picklist,
      relationshipName: body.includes('Relationship Name') ? after('Relationship Name') : undefined,
      refersTo: body.includes('Refers To') ? after('Refers To') : undefined,
    };
  });
}

const SEED_TYPES: Record<string, string> = { dateTime: 'datetime' };

describe('describe of PendingOrderSummary (seed 002)', () => {
  const seed = seedFields();
  const described = describePendingOrderSummary('62.0');
  const byName = new Map(described.fields.map((f) => [f.name, f]));

  it('reads all 17 seed fields', () => {
    expect(seed).toHaveLength(17);
  });

  it('describes every seed field plus Id, and nothing else', () => {
    expect([...byName.keys()].sort()).toEqual(['Id', ...seed.map((f) => f.name)].sort());
  });

  it.each(seedFields().map((f) => [f.name, f] as const))('%s has the seed type and properties', (_name, f) => {
    const d = byName.get(f.name);
    const has = (p: string) => f.properties.includes(p);
    expect(d).toMatchObject({
      type: SEED_TYPES[f.type] ?? f.type,
      filterable: has('Filter'),
      groupable: has('Group'),
      sortable: has('Sort'),
      nillable: has('Nillable'),
      restrictedPicklist: has('Restricted picklist'),
      defaultedOnCreate: has('Defaulted on create'),
      updateable: false,
    });
    expect(d?.relationshipName).toBe(f.relationshipName ?? null);
    expect(d?.referenceTo).toEqual(f.refersTo ? [f.refersTo] : []);
    expect((d?.picklistValues ?? []).map((v) => v.value).sort()).toEqual([...f.picklist].sort());
  });

  it('requires on create exactly the seed fields that are neither nillable nor defaulted', () => {
    const createRequired = seed.filter((f) => !f.properties.includes('Nillable') && !f.properties.includes('Defaulted on create') && byName.get(f.name)?.createable).map((f) => f.name);
    const out = checkPendingOrderInput({});
    expect(out.ok).toBe(false);
    if (!out.ok) expect([...out.errors[0].fields].sort()).toEqual(createRequired.sort());
  });

  it('is createable, deletable, queryable and not updateable, with the key prefix and a compact layout', () => {
    expect(described).toMatchObject({ name: 'PendingOrderSummary', keyPrefix: '0ps', createable: true, deletable: true, queryable: true, updateable: false, triggerable: false });
    expect(pendingOrderSummaryCompactLayouts().compactLayouts[0].fieldItems.map((i) => i.label)).toContain('External Reference Identifier');
  });
});
