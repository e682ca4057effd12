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

import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * These tests hold the library to the vendor documents' facts (committed as a fixture in libs/testing
 * and cross-checked against the documents whenever they are present), so that a value typed from
 * memory fails here rather than at a client.
 */
interface Field {
  name: string;
  picklist: [string, string][];
  refersTo?: string[];
}
interface Facts {
  asyncOperationTracker: { fields: Field[] };
  asyncAction: {
    types: string[];
    statuses: string[];
    operationStatuses: string[];
    object: string[];
    resultOneOf: string[];
    results: Record<string, { fields: string[]; items: Record<string, string[]> }>;
  };
}
const facts = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/vendor-facts.json'), 'utf8')) as Facts;
const trackerField = (name: string) => {
  const field = facts.asyncOperationTracker.fields.find((f) => f.name === name);
  if (!field) throw new Error(`Field ${name} not found in the AsyncOperationTracker facts`);
  return field;
};
const picklist = (name: string) => new Map(trackerField(name).picklist);
const refersTo = (name: string) => trackerField(name).refersTo ?? [];

const sorted = (values: Iterable<string>): string[] => [...values].sort();

describe('seed 000: AsyncOperationTracker picklists', () => {

  it.each([
    ['JobType', JOB_TYPES, JOB_TYPE_LABELS, 29],
    ['StepName', STEP_NAMES, STEP_NAME_LABELS, 34],
    ['Status', SALESFORCE_OPERATION_STATUSES, SALESFORCE_OPERATION_STATUS_LABELS, 5],
  ] as const)('%s has exactly the seed values and labels', (field, values, labels, count) => {
    const seed = picklist(field);
    expect(seed.size).toBe(count);
    expect(values).toHaveLength(count);
    expect(new Set(values).size).toBe(count);
    expect(sorted(values)).toEqual(sorted(seed.keys()));
    expect(labels).toEqual(Object.fromEntries(seed));
  });

  it('lists JobType and StepName in the seed order', () => {
    expect(JOB_TYPES).toEqual([...picklist('JobType').keys()]);
    expect(STEP_NAMES).toEqual([...picklist('StepName').keys()]);
  });

  it('has the reference entity types ReferenceEntityId refers to', () => {
    expect(REFERENCE_ENTITY_TYPES).toEqual(refersTo('ReferenceEntityId'));
  });

  it('has the owner types OwnerId refers to', () => {
    expect(OWNER_TYPES).toEqual(refersTo('OwnerId'));
  });
});

describe('seed 001: Voucherify async action', () => {
  const doc = facts.asyncAction;

  it('has exactly the 22 async action types, in the seed order', () => {
    const seed = doc.types;
    expect(seed).toHaveLength(22);
    expect(ASYNC_ACTION_TYPES).toEqual(seed);
  });

  it('offers a result shape for every type, as the "resultOne of" list says', () => {
    expect(sorted(doc.resultOneOf)).toEqual(sorted(ASYNC_ACTION_TYPES));
  });

  it.each([
    ['status', doc.statuses, ASYNC_ACTION_STATUSES, 4],
    ['operation_status', doc.operationStatuses, ASYNC_ACTION_OPERATION_STATUSES, 3],
    ['object', doc.object, [ASYNC_ACTION_OBJECT], 1],
  ] as const)('%s has exactly the seed values', (_attribute, seed, values, count) => {
    expect(seed).toHaveLength(count);
    expect(values).toEqual(seed);
  });

  describe('result shapes', () => {
    const sections = new Map(Object.entries(doc.results));

    it.each(ASYNC_ACTION_TYPES.map((type) => [type]))('%s lists the seed attributes', (type) => {
      expect(sorted(ASYNC_ACTION_RESULT_FIELDS[type])).toEqual(sorted(sections.get(type)?.fields ?? []));
    });

    // Each sample is typed by the result interface, so the compiler proves it has exactly the
    // interface's attributes; comparing its keys with the seed then proves the interface matches the seed.
    it.each(ASYNC_ACTION_TYPES.map((type) => [type]))('%s result interface matches the seed', (type) => {
      const sample: object = RESULT_SAMPLES[type];
      const section = sections.get(type);
      expect(sorted(Object.keys(sample))).toEqual(sorted(section?.fields ?? []));
      for (const [field, items] of Object.entries(section?.items ?? {})) {
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
