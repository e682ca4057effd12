import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ASYNC_ACTION_OBJECT,
  ASYNC_ACTION_OPERATION_STATUSES,
  ASYNC_ACTION_RESULT_FIELDS,
  ASYNC_ACTION_STATUSES,
  ASYNC_ACTION_TYPES,
  AsyncActionResultMap,
  AsyncActionType,
  JOB_TYPE_LABELS,
  JOB_TYPES,
  SALESFORCE_OPERATION_STATUS_LABELS,
  SALESFORCE_OPERATION_STATUSES,
  OWNER_TYPES,
  REFERENCE_ENTITY_TYPES,
  STEP_NAME_LABELS,
  STEP_NAMES,
} from './index';

/*
 * These tests hold the library to the vendor documents themselves, read at run time, so that a value
 * typed from memory or a seed that changes underneath us fails here rather than at a client.
 */

const SEEDS_DIR = path.resolve(__dirname, '../../../../shared/seeds');
const BULLET = '\u2022';
const EM_DASH = '\u2014';

function readSeed(prefix: string): string {
  const name = fs.readdirSync(SEEDS_DIR).find((file) => file.startsWith(`${prefix}_`) && file.endsWith('.txt'));
  if (!name) throw new Error(`No seed ${prefix}_*.txt in ${SEEDS_DIR}`);
  return fs.readFileSync(path.join(SEEDS_DIR, name), 'utf8');
}

/** Seed 000 lists fields as a line with the field name followed by a line reading "Type". */
function fieldLines(lines: readonly string[], field: string): string[] {
  const start = lines.findIndex((line, i) => line === field && lines[i + 1] === 'Type');
  if (start < 0) throw new Error(`Field ${field} not found in seed 000`);
  const end = lines.findIndex((line, i) => i > start + 1 && lines[i + 1] === 'Type');
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The bullets under "Possible values are:", as value → label (the label defaults to the value). */
function picklist(lines: readonly string[], field: string): Map<string, string> {
  const body = fieldLines(lines, field);
  const from = body.indexOf('Possible values are:') + 1;
  if (from === 0) throw new Error(`Field ${field} has no picklist`);
  const entries = new Map<string, string>();
  for (const line of body.slice(from)) {
    const bullet = line.match(new RegExp(`^\\s*${BULLET}\\s+(.+)$`));
    if (!bullet) break;
    const [value, label] = bullet[1].split(EM_DASH);
    entries.set(value.trim(), (label ?? value).trim());
  }
  return entries;
}

function refersTo(lines: readonly string[], field: string): string[] {
  const body = fieldLines(lines, field);
  return body[body.indexOf('Refers To') + 1].split(',').map((s) => s.trim());
}

/** Seed 001 writes attributes as `<name><type><Description>…`, with no separator between the three. */
const ATTRIBUTE = /^\s*([a-z_]+?)(string|integer|array|object)(?=[A-Z])/;
/** Inside "Attributes Description…" an array's item attributes read `<name><type> <Description>`. */
const ITEM_ATTRIBUTE = /(?<=^|\s)([a-z_]+?)(string|integer) (?=[A-Z])/g;

function availableValues(text: string, attribute: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`${attribute}string`));
  const values = line?.split('Available values: ')[1];
  if (!values) throw new Error(`No available values for ${attribute} in seed 001`);
  return values.split(',').map((v) => v.trim());
}

interface SeedResultSection {
  fields: string[];
  /** Item attributes of each array-like field (`failed`, `errors`). */
  items: Map<string, string[]>;
}

/** Splits seed 001 into its result sections and resolves each "All of:" reference to another section. */
function resultSections(text: string): Map<string, SeedResultSection> {
  const lines = text.split('\n');
  const bulkUpdateBase = 'Async Action Voucher Customer Product Bulk Update Result';
  const headers = new Set<string>([...ASYNC_ACTION_TYPES, bulkUpdateBase, 'Async Action Base']);
  const raw = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of lines) {
    if (headers.has(line)) {
      current = [];
      raw.set(line, current);
    } else {
      current?.push(line);
    }
  }
  const parse = (name: string): SeedResultSection => {
    const body = raw.get(name);
    if (!body) throw new Error(`Section ${name} not found in seed 001`);
    const section: SeedResultSection = { fields: [], items: new Map() };
    for (const line of body) {
      const included = line.match(/^\s*\d+\.\s+(.+)$/);
      if (included && raw.has(included[1])) {
        const base = parse(included[1]);
        section.fields.push(...base.fields);
        base.items.forEach((v, k) => section.items.set(k, v));
        continue;
      }
      const attribute = line.match(ATTRIBUTE);
      if (!attribute) continue;
      section.fields.push(attribute[1]);
      const itemText = line.split('Attributes Description')[1];
      if (itemText !== undefined) {
        section.items.set(
          attribute[1],
          [...itemText.matchAll(ITEM_ATTRIBUTE)].map((m) => m[1]),
        );
      }
    }
    return section;
  };
  return new Map(ASYNC_ACTION_TYPES.map((type) => [type, parse(type)]));
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();

describe('seed 000: AsyncOperationTracker picklists', () => {
  const lines = readSeed('000').split('\n');

  it.each([
    ['JobType', JOB_TYPES, JOB_TYPE_LABELS, 29],
    ['StepName', STEP_NAMES, STEP_NAME_LABELS, 34],
    ['Status', SALESFORCE_OPERATION_STATUSES, SALESFORCE_OPERATION_STATUS_LABELS, 5],
  ] as const)('%s has exactly the seed values and labels', (field, values, labels, count) => {
    const seed = picklist(lines, field);
    expect(seed.size).toBe(count);
    expect(values).toHaveLength(count);
    expect(new Set(values).size).toBe(count);
    expect(sorted(values)).toEqual(sorted(seed.keys()));
    expect(labels).toEqual(Object.fromEntries(seed));
  });

  it('lists JobType and StepName in the seed order', () => {
    expect(JOB_TYPES).toEqual([...picklist(lines, 'JobType').keys()]);
    expect(STEP_NAMES).toEqual([...picklist(lines, 'StepName').keys()]);
  });

  it('has the reference entity types ReferenceEntityId refers to', () => {
    expect(REFERENCE_ENTITY_TYPES).toEqual(refersTo(lines, 'ReferenceEntityId'));
  });

  it('has the owner types OwnerId refers to', () => {
    expect(OWNER_TYPES).toEqual(refersTo(lines, 'OwnerId'));
  });
});

describe('seed 001: Voucherify async action', () => {
  const text = readSeed('001');

  it('has exactly the 22 async action types, in the seed order', () => {
    const seed = availableValues(text, 'type');
    expect(seed).toHaveLength(22);
    expect(ASYNC_ACTION_TYPES).toEqual(seed);
  });

  it('offers a result shape for every type, as the "resultOne of" list says', () => {
    const oneOf = text.match(/resultOne of: (.+)/)?.[1].split(',').map((v) => v.trim());
    expect(sorted(oneOf ?? [])).toEqual(sorted(ASYNC_ACTION_TYPES));
  });

  it.each([
    ['status', ASYNC_ACTION_STATUSES, 4],
    ['operation_status', ASYNC_ACTION_OPERATION_STATUSES, 3],
    ['object', [ASYNC_ACTION_OBJECT], 1],
  ] as const)('%s has exactly the seed values', (attribute, values, count) => {
    const seed = availableValues(text, attribute);
    expect(seed).toHaveLength(count);
    expect(values).toEqual(seed);
  });

  describe('result shapes', () => {
    const sections = resultSections(text);

    it.each(ASYNC_ACTION_TYPES.map((type) => [type]))('%s lists the seed attributes', (type) => {
      expect(sorted(ASYNC_ACTION_RESULT_FIELDS[type])).toEqual(sorted(sections.get(type)?.fields ?? []));
    });

    // Each sample is typed by the result interface, so the compiler proves it has exactly the
    // interface's attributes; comparing its keys with the seed then proves the interface matches the seed.
    it.each(ASYNC_ACTION_TYPES.map((type) => [type]))('%s result interface matches the seed', (type) => {
      const sample: object = RESULT_SAMPLES[type];
      const section = sections.get(type);
      expect(sorted(Object.keys(sample))).toEqual(sorted(section?.fields ?? []));
      for (const [field, items] of section?.items ?? []) {
        const value: unknown = (sample as Record<string, unknown>)[field];
        expect(Array.isArray(value)).toBe(true);
        expect(sorted(Object.keys((value as object[])[0]))).toEqual(sorted(items));
      }
    });
  });
});

const voucher = { code: 'CODE-1', reason: 'Duplicate code' };
const voucherCsv = { code: 'CODE-1', row: 2, reason: 'Duplicate code' };
const doneCount = { message: '1 resource(s) processed', done_count: 1 };
const metadataError = { message: 'Invalid metadata', details: 'Key is not defined', key: 'invalid_metadata' };
const bulkUpdate = {
  done_count: 1,
  failed_count: 1,
  reports: ['https://example.test/report.csv'],
  reports_available_till: '2024-01-01T00:00:00.000Z',
};
const imported = { message: '1 imported, 1 failed', done_count: 1, failed_count: 1 };

const RESULT_SAMPLES: { [T in AsyncActionType]: AsyncActionResultMap[T] } = {
  'CAMPAIGN.VOUCHERS_IMPORT': { ...imported, failed: [voucher] },
  'CAMPAIGN.VOUCHERS_IMPORT_CSV': { ...imported, failed: [voucherCsv] },
  'CAMPAIGN.VOUCHERS_UPDATE': doneCount,
  'CAMPAIGN.VOUCHERS_DELETE': doneCount,
  'CAMPAIGN.VOUCHERS_GENERATE': doneCount,
  'CAMPAIGNS.METADATA_KEY_PURGE': doneCount,
  'CUSTOMERS.IMPORT_CSV': { ...imported, failed: [{ source_id: 'cust-1', row: 2, reason: 'Invalid email' }] },
  'CUSTOMERS.BULK_UPDATE': { ...bulkUpdate, errors: [{ ...metadataError, source_id: 'cust-1' }] },
  'CUSTOMERS.METADATA_UPDATE': { errors: [metadataError] },
  'CUSTOMERS.METADATA_KEY_PURGE': doneCount,
  'PRODUCTS.BULK_UPDATE': { ...bulkUpdate, errors: [{ ...metadataError, source_id: 'prod-1' }] },
  'PRODUCTS.METADATA_UPDATE': { errors: [metadataError] },
  'PRODUCTS.METADATA_KEY_PURGE': doneCount,
  'PRODUCTS.IMPORT_CSV': { ...imported, failed: [{ row: 2, source_id: 'prod-1', reason: 'Missing name' }] },
  'SKUS.IMPORT_CSV': { ...imported, failed: [{ row: 2, reason: 'SKU in use' }] },
  'VOUCHERS.IMPORT': { ...imported, failed: [voucher] },
  'VOUCHERS.IMPORT_CSV': { ...imported, failed: [voucherCsv] },
  'VOUCHERS.BULK_UPDATE': { ...bulkUpdate, errors: [{ ...metadataError, code: 'CODE-1' }] },
  'VOUCHERS.METADATA_UPDATE': { errors: [metadataError] },
  'VOUCHERS.METADATA_KEY_PURGE': doneCount,
  'ORDERS.IMPORT': { ...imported, failed: [{ source_id: 'order-1', reason: 'Unknown customer' }] },
  'ORDERS.METADATA_KEY_PURGE': doneCount,
};
