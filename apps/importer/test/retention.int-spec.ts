import { request } from 'node:http';
import { waitFor } from '@asyncops/testing';
import { AsyncActionJson, CLIENTS, ImportStack } from './voucherify-sdk-support';

const DAY_MS = 86_400_000;
/** The gateway's file cap in this suite: a little over two 256 KiB chunks, so a refused upload has chunks stored. */
const UPLOAD_CAP = 600 * 1024;
const BOUNDARY = 'retention-boundary';
const partHead = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="v.csv"\r\nContent-Type: text/csv\r\n\r\n`);
const partEnd = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
/** CSV bytes of about `bytes`, valid rows throughout. */
const csvOf = (bytes: number) => Buffer.from(`Code\n${Array.from({ length: Math.ceil(bytes / 12) }, (_, i) => `UP-${String(i).padStart(7, '0')}`).join('\n')}\n`);
const fromAsyncActionId = (id: string) => id.slice(3).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/**
 * Each retention rule of the Voucherify surface and the tracker behind it, checked by ageing records
 * in the test database (moving their timestamps into the past) and letting the sweepers run.
 */
describe('retention of results, reports and records (gateway + importer + tracker, real broker and database)', () => {
  jest.setTimeout(180_000);
  const stack = ImportStack.forSuite('retention', { SWEEP_INTERVAL_MS: '300', PROCESSED_MESSAGE_PRUNE_INTERVAL_MS: '1000' }, { SWEEP_INTERVAL_MS: '300', PROCESSED_MESSAGE_PRUNE_INTERVAL_MS: '1000' }, { VOUCHERIFY_UPLOAD_MAX_BYTES: String(UPLOAD_CAP) });

  async function importWithFailures(name: string): Promise<AsyncActionJson> {
    const csv = `Code,Value,Discount Type\n${name}-1,10,PERCENT\n${name}-2,10,BOGUS\n${name}-3,150,PERCENT\n`;
    const accepted = (await stack.sdk().vouchers.importCSV(stack.file(`${name}.csv`, csv))) as { async_action_id: string };
    return stack.finished(accepted.async_action_id);
  }
  const failedRows = async (operationId: string) =>
    (await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM importer.import_failure WHERE operation_id = $1`, [operationId]))[0].n;
  const actionRow = async (operationId: string) => (await stack.db.query(`SELECT 1 FROM importer.async_action WHERE operation_id = $1`, [operationId])).length;

  it('keeps a failure report REPORT_RETENTION_DAYS (7) after the import finished, then refuses it and removes its rows; the action stays readable', async () => {
    const action = await importWithFailures('rep');
    const id = fromAsyncActionId(action.id);
    expect(action.result).toMatchObject({ done_count: 1, failed_count: 2, reports: [expect.stringContaining(`/v1/async-actions/${action.id}/report`)] });
    const till = Date.parse(action.result.reports_available_till as string);
    expect(Math.abs(till - (Date.parse(action.updated_at) + 7 * DAY_MS))).toBeLessThan(60_000);
    expect((await stack.fetch(`/v1/async-actions/${action.id}/report`)).status).toBe(200);

    // A day before the deadline nothing changes.
    await stack.db.query(`UPDATE importer.async_action SET reports_available_till = now() + interval '1 day' WHERE operation_id = $1`, [id]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await failedRows(id)).toBe(2);
    expect((await stack.fetch(`/v1/async-actions/${action.id}/report`)).status).toBe(200);

    await stack.db.query(`UPDATE importer.async_action SET reports_available_till = now() - interval '1 second' WHERE operation_id = $1`, [id]);
    const gone = await stack.fetch(`/v1/async-actions/${action.id}/report`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ code: 404, key: 'not_found' });
    await waitFor('the expired report rows to be removed', async () => ((await failedRows(id)) === 0 ? true : undefined), 20_000, 100);
    expect(await actionRow(id)).toBe(1);
    expect(((await stack.sdk().asyncActions.get(action.id)) as unknown as AsyncActionJson).result).toMatchObject({ done_count: 1, failed_count: 2 });
  });

  it('removes an importer action row ACTION_RETENTION_DAYS (30) after it finished, and keeps a younger one', async () => {
    const old = fromAsyncActionId((await importWithFailures('old')).id);
    const young = fromAsyncActionId((await importWithFailures('young')).id);
    await stack.db.query(`UPDATE importer.async_action SET finished_at = now() - interval '30 days 1 minute' WHERE operation_id = $1`, [old]);
    await stack.db.query(`UPDATE importer.async_action SET finished_at = now() - interval '29 days 23 hours' WHERE operation_id = $1`, [young]);
    await waitFor('the old action row to be removed', async () => ((await actionRow(old)) === 0 ? true : undefined), 20_000, 100);
    expect(await failedRows(old)).toBe(0);
    expect(await actionRow(young)).toBe(1);
    expect(await failedRows(young)).toBe(2);
    // The imported vouchers are the client's data: they stay.
    expect((await stack.db.query(`SELECT 1 FROM importer.voucher WHERE code = 'old-1'`)).length).toBe(1);
  });

  it('removes an upload that never became an import UPLOAD_RETENTION_HOURS (24) after it began, and keeps a younger one', async () => {
    const [oldId, youngId] = ['5f0c0000-0000-4000-8000-000000000001', '5f0c0000-0000-4000-8000-000000000002'];
    for (const [uploadId, age] of [[oldId, '24 hours 1 minute'], [youngId, '23 hours']]) {
      await stack.db.query(`INSERT INTO importer.upload (id, owner_id, created_at) VALUES ($1, $2, now() - $3::interval)`, [uploadId, CLIENTS[0].id, age]);
      await stack.db.query(`INSERT INTO importer.upload_chunk (upload_id, seq, data) VALUES ($1, 0, $2)`, [uploadId, Buffer.from('Code\nX-1\n')]);
    }
    await waitFor('the abandoned upload to be removed', async () => ((await stack.db.query(`SELECT 1 FROM importer.upload WHERE id = $1`, [oldId])).length === 0 ? true : undefined), 20_000, 100);
    expect(await stack.db.query(`SELECT seq FROM importer.upload_chunk WHERE upload_id = $1`, [oldId])).toEqual([]);
    expect(await stack.db.query(`SELECT seq FROM importer.upload_chunk WHERE upload_id = $1`, [youngId])).toEqual([{ seq: 0 }]);
  });

  describe('uploads that do not become an import are deleted at once, not left to the sweep', () => {
    // The second client uploads only here, so any upload row of theirs is one of these.
    const client = CLIENTS[1];
    const uploadsOf = async () =>
      (await stack.db.query<{ n: number; chunks: number }>(
        `SELECT count(DISTINCT u.id)::int AS n, count(c.seq)::int AS chunks FROM importer.upload u LEFT JOIN importer.upload_chunk c ON c.upload_id = u.id WHERE u.owner_id = $1`,
        [client.id],
      ))[0];
    /** Sends a multipart body by hand; `abort` drops the connection after the last part instead of waiting for an answer. */
    const send = (parts: Buffer[], abort = false) =>
      new Promise<{ status: number; body: string } | 'aborted'>((resolve, reject) => {
        const url = new URL('/v1/vouchers/importCSV', stack.gateway.url);
        const req = request(url, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked', 'x-app-id': client.id, 'x-app-token': client.secret } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', (e) => (abort ? resolve('aborted') : reject(e)));
        const write = async () => {
          for (const p of parts) if (!req.write(p)) await new Promise((r) => req.once('drain', r));
          if (!abort) return req.end();
          // The stored chunks show the gateway has read this far; then the client goes away.
          await waitFor('chunks of the upload to be stored', async () => ((await uploadsOf()).chunks >= 2 ? true : undefined), 20_000, 50);
          req.destroy();
          resolve('aborted');
        };
        write().catch(reject);
      });

    afterEach(async () => {
      // Each case ends with nothing of the client's stored, and the importer still serving.
      await waitFor('the refused upload to be deleted', async () => ((await uploadsOf()).n === 0 ? true : undefined), 15_000, 100);
      expect((await fetch(`${stack.importer.url}/health/ready`)).status).toBe(200);
    });

    it('a file over VOUCHERIFY_UPLOAD_MAX_BYTES, cut off with 413 after chunks were stored', async () => {
      const res = await send([partHead, csvOf(UPLOAD_CAP * 2), partEnd]);
      expect(res).toMatchObject({ status: 413 });
      // Deleted before the answer, not eventually.
      expect(await uploadsOf()).toEqual({ n: 0, chunks: 0 });
    });

    it('a multipart body that breaks off after chunks were stored (400)', async () => {
      const res = await send([partHead, csvOf(UPLOAD_CAP - 4096)]);
      expect(res).toMatchObject({ status: 400, body: expect.stringContaining('invalid_payload') });
      expect(await uploadsOf()).toEqual({ n: 0, chunks: 0 });
    });

    it('an upload the client abandons midway', async () => {
      expect(await send([partHead, csvOf(UPLOAD_CAP - 4096)], true)).toBe('aborted');
    });

    it('an import that fails on its file (the stored file goes with the failure)', async () => {
      const sdk = stack.sdk(client);
      const { async_action_id } = (await sdk.vouchers.importCSV(stack.file('no-code.csv', 'name,value\nA,1\n'))) as { async_action_id: string };
      expect(await stack.finished(async_action_id, client)).toMatchObject({ status: 'FAILED' });
      expect(await uploadsOf()).toEqual({ n: 0, chunks: 0 });
    });
  });

  it('prunes processed message ids after PROCESSED_MESSAGE_RETENTION_DAYS (7) in the importer and the tracker', async () => {
    for (const schema of ['importer', 'tracker']) {
      await stack.db.query(
        `INSERT INTO ${schema}.processed_message (consumer, message_id, processed_at) VALUES ('test', 'aged', now() - interval '7 days 1 minute'), ('test', 'recent', now() - interval '6 days')`,
      );
    }
    await waitFor(
      'aged message ids to be pruned',
      async () => ((await stack.db.query(`SELECT 1 FROM importer.processed_message WHERE message_id = 'aged' UNION ALL SELECT 1 FROM tracker.processed_message WHERE message_id = 'aged'`)).length === 0 ? true : undefined),
      20_000,
      100,
    );
    for (const schema of ['importer', 'tracker']) {
      expect(await stack.db.query(`SELECT message_id FROM ${schema}.processed_message WHERE consumer = 'test'`)).toEqual([{ message_id: 'recent' }]);
    }
  });

  it('keeps an operation until ExpiresAt (SubmittedAt + OPERATION_RETENTION_DAYS, 30), then deletes it leaving a tombstone kept TOMBSTONE_RETENTION_DAYS (30)', async () => {
    const action = await importWithFailures('exp');
    const id = fromAsyncActionId(action.id);
    const [op] = await stack.db.query<{ submitted_at: Date; expires_at: Date }>(`SELECT submitted_at, expires_at FROM tracker.async_operation WHERE id = $1`, [id]);
    expect(op.expires_at.getTime() - op.submitted_at.getTime()).toBe(30 * DAY_MS);

    await stack.db.query(`UPDATE tracker.async_operation SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    await waitFor('the expired operation to be deleted', async () => ((await stack.db.query(`SELECT 1 FROM tracker.async_operation WHERE id = $1`, [id])).length === 0 ? true : undefined), 20_000, 100);
    await expect(stack.sdk().asyncActions.get(action.id)).rejects.toMatchObject({ code: 404, key: 'not_found' });
    expect(await stack.db.query(`SELECT owner_id FROM tracker.deleted_operation WHERE id = $1`, [id])).toEqual([{ owner_id: CLIENTS[0].id }]);

    // The tombstone (what the Salesforce deleted-records feed reads) ages out too.
    await stack.db.query(`UPDATE tracker.deleted_operation SET deleted_at = now() - interval '30 days 1 minute' WHERE id = $1`, [id]);
    await waitFor('the old tombstone to be removed', async () => ((await stack.db.query(`SELECT 1 FROM tracker.deleted_operation WHERE id = $1`, [id])).length === 0 ? true : undefined), 20_000, 100);
  });
});
