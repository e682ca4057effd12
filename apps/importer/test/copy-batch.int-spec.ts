import { DataSource } from 'typeorm';
import { migrate } from '@asyncops/persistence';
import { createTestDatabase, TestDatabase } from '@asyncops/testing';
import { importerDataSourceOptions } from '../src/database';
import { copyCsvBatch, CopyBatchResult } from '../src/imports/copy/copy-batch';
import type { CopySpec } from '../src/imports/copy/copy-spec';
import { voucherCopy } from '../src/resources/vouchers/voucher-copy';
import { voucherSpec } from '../src/resources/vouchers/voucher-spec';
import type { VoucherRecord } from '../src/resources/vouchers/voucher-row';

const OWNER = 'owner-copy-batch';
const OPERATION = '00000000-0000-4000-8000-000000000001';
const CSV = Buffer.from('Code,Value,Discount Type\nA,10,PERCENT\nTAKEN,5,AMOUNT\nB,1,BOGUS\nA,7,PERCENT\nC,,\nD,20,AMOUNT\n');

/** A direct COPY whose lookup never finds a key: as if each existing key had been written after the lookup. */
const racingCopy: CopySpec<VoucherRecord> = { ...voucherCopy, direct: { ...voucherCopy.direct!, existing: `SELECT NULL::text AS "key" WHERE $1::text IS NULL AND $2::text[] IS NULL` } };

/**
 * One COPY batch of vouchers against the real database: the direct COPY into `voucher` and its
 * fallback to the staging merge (a code written between the lookup and the COPY) fail the same rows
 * with the same reasons and write the same vouchers.
 */
describe('a voucher COPY batch (real database)', () => {
  jest.setTimeout(60_000);
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('copy_batch');
    await migrate(importerDataSourceOptions({ DATABASE_URL: db.url }));
    ds = await new DataSource(importerDataSourceOptions({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 2 })).initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });
  beforeEach(async () => {
    await db.query(`DELETE FROM importer.voucher`);
    await db.query(`INSERT INTO importer.voucher (owner_id, code, type) VALUES ($1, 'TAKEN', 'DISCOUNT_VOUCHER')`, [OWNER]);
  });

  const run = (copy: CopySpec<VoucherRecord>): Promise<CopyBatchResult> =>
    ds.transaction((manager) =>
      copyCsvBatch({
        manager,
        source: async function* (_upload, offset) {
          yield CSV.subarray(offset);
        },
        uploadId: 'upload',
        spec: voucherSpec,
        copy,
        ownerId: OWNER,
        campaignId: null,
        operationId: OPERATION,
        columns: null,
        byteOffset: 0,
        rowsBefore: 0,
        limit: 100,
      }),
    );

  const expectedFailures = [
    { row: 2, key: 'TAKEN', reason: 'Resource voucher with code TAKEN already exists' },
    { row: 3, key: 'B', reason: expect.any(String) },
    { row: 4, key: 'A', reason: 'Resource voucher with code A already exists' },
  ];

  const written = async () =>
    db.query<{ code: string; discount_value: string | null; import_operation_id: string | null }>(
      `SELECT code, discount_value::text, import_operation_id::text FROM importer.voucher WHERE owner_id = $1 ORDER BY code`,
      [OWNER],
    );

  it('fails the codes that exist (looked up after the first COPY met one) and the repeats in the file, and COPYs the others straight into voucher', async () => {
    const out = await run(voucherCopy);
    expect(out).toMatchObject({ done: 3, count: 6, exhausted: true, fellBack: false });
    expect(out.failures).toEqual(expectedFailures);
    expect(await written()).toEqual([
      { code: 'A', discount_value: '10.0000', import_operation_id: OPERATION },
      { code: 'C', discount_value: null, import_operation_id: OPERATION },
      { code: 'D', discount_value: '20.0000', import_operation_id: OPERATION },
      { code: 'TAKEN', discount_value: null, import_operation_id: null },
    ]);
  });

  it('falls back to the staging merge when a code is written after the lookup, with the same failures and rows', async () => {
    const out = await run(racingCopy);
    expect(out).toMatchObject({ done: 3, count: 6, exhausted: true, fellBack: true });
    expect(out.failures).toEqual(expectedFailures);
    expect((await written()).map((v) => v.code)).toEqual(['A', 'C', 'D', 'TAKEN']);
  });

  it('writes a batch whose codes are all new in one COPY, without a lookup', async () => {
    await db.query(`DELETE FROM importer.voucher`);
    // A lookup would fail the batch.
    const out = await run({ ...voucherCopy, direct: { ...voucherCopy.direct!, existing: `SELECT (1 / 0)::text AS "key" WHERE $1::text IS NOT NULL AND $2::text[] IS NOT NULL` } });
    expect(out).toMatchObject({ done: 4, fellBack: false });
    expect(out.failures).toEqual(expectedFailures.slice(1));
  });
});
