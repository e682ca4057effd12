import { AsyncActionJson, CLIENTS, ImportStack } from './voucherify-sdk-support';

/** `aa_` + the uuid's 32 hex digits, back to the tracker's uuid. */
const fromAsyncActionId = (id: string) => id.slice(3).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

const ROWS = 200_000;
const BATCH = 1000;
const code = (i: number) => `CX-${String(i).padStart(6, '0')}`;

function voucherCsv(): string {
  const lines = ['Code,Voucher Type,Value,Discount Type,Category'];
  for (let row = 1; row <= ROWS; row++) lines.push(`${code(row)},DISCOUNT_VOUCHER,10,PERCENT,cancel-test`);
  return `${lines.join('\n')}\n`;
}

interface NativeView {
  status: string;
  successfulJobItems: number;
  failedJobItems: number;
  totalJobItems: number | null;
  message: string | null;
  cancelRequestedAt: string | null;
  result: Record<string, unknown> | null;
}

describe('cancelling a running import (gateway + importer + tracker, real broker and database)', () => {
  jest.setTimeout(240_000);
  const stack = new ImportStack();
  let token: string;

  beforeAll(async () => {
    await stack.start('vcancel', { IMPORT_BATCH_SIZE: String(BATCH) });
    const res = await fetch(`${stack.gateway.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENTS[0].id, client_secret: CLIENTS[0].secret }).toString(),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(() => stack.stop());

  const native = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const view = async (id: string) => (await (await native(`/api/v1/operations/${id}`)).json()) as NativeView;

  it('stops a 200,000-row import at the next batch boundary: committed batches stay, the action ends Cancelled (FAILED on Voucherify, Failure on Salesforce) with exact counts, and a second cancel is 409', async () => {
    const accepted = (await stack.sdk().vouchers.importCSV(stack.file('many.csv', voucherCsv()))) as { async_action_id: string };
    const id = fromAsyncActionId(accepted.async_action_id);

    // Let a few batches commit, then cancel while the import is still running.
    let running: NativeView | undefined;
    for (let i = 0; i < 600 && !running; i++) {
      const v = await view(id);
      if (v.status !== 'Submitted' && v.status !== 'InProgress') throw new Error(`import ended (${v.status}) before it could be cancelled`);
      if (v.successfulJobItems >= 3 * BATCH) running = v;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(running).toBeDefined();
    const cancel = await native(`/api/v1/operations/${id}/cancel`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'wrong file' }) });
    expect(cancel.status).toBe(202);
    expect(((await cancel.json()) as NativeView).cancelRequestedAt).toEqual(expect.any(String));

    const action: AsyncActionJson = await stack.finished(accepted.async_action_id, CLIENTS[0], 120_000);
    expect(action).toMatchObject({ status: 'FAILED', operation_status: 'FAILED', progress: 100 });
    expect(action.result.message).toMatch(/^Cancelled at the client's request before batch \d+: \d+ voucher\(s\) imported successfully, 0 failed\.$/);

    const final = await view(id);
    expect(final.status).toBe('Cancelled');
    expect(final.message).toBe(action.result.message);

    // Exactly the committed batches: whole batches, the first rows of the file, nothing after them.
    const [{ n, last }] = await stack.db.query<{ n: number; last: string }>(
      `SELECT count(*)::int AS n, max("code") AS last FROM "importer"."voucher" WHERE "import_operation_id" = $1`,
      [id],
    );
    expect(n).toBeGreaterThanOrEqual(3 * BATCH);
    expect(n).toBeLessThan(ROWS);
    expect(n % BATCH).toBe(0);
    expect(last).toBe(code(n));
    expect(final.successfulJobItems).toBe(n);
    expect(final.failedJobItems).toBe(0);
    expect(action.result.done_count).toBe(n);
    expect(action.result.failed_count).toBe(0);
    const [row] = await stack.db.query<{ state: string; cancel_requested_at: Date | null; upload_id: string | null }>(
      `SELECT "state", "cancel_requested_at", "upload_id" FROM "importer"."async_action" WHERE "operation_id" = $1`,
      [id],
    );
    expect(row).toMatchObject({ state: 'cancelled', upload_id: null });
    expect(row.cancel_requested_at).toBeInstanceOf(Date);
    // The stored file is gone with the action's end.
    expect(await stack.db.query(`SELECT 1 FROM "importer"."upload_chunk" c JOIN "importer"."upload" u ON u."id" = c."upload_id" WHERE u."owner_id" = $1`, [CLIENTS[0].id])).toEqual([]);

    // Nothing more happens afterwards: counts and rows stay as they are.
    await new Promise((r) => setTimeout(r, 1500));
    const [{ n: later }] = await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "importer"."voucher" WHERE "import_operation_id" = $1`, [id]);
    expect(later).toBe(n);

    // A finished operation cannot be cancelled.
    const again = await native(`/api/v1/operations/${id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await again.json()).toMatchObject({ status: 409, code: 'CONFLICT' });

    // Salesforce has no Cancelled: the record reads and filters as Failure.
    const q = (soql: string) => native(`/services/data/v60.0/query?q=${encodeURIComponent(soql)}`).then((r) => r.json() as Promise<{ totalSize: number; records: Array<{ Status: string; SuccessfulJobItems: number }> }>);
    const failures = await q(`SELECT Id, Status, SuccessfulJobItems FROM AsyncOperationTracker WHERE Status = 'Failure' AND JobType = 'VOUCHERS.IMPORT_CSV'`);
    expect(failures.totalSize).toBe(1);
    expect(failures.records[0]).toMatchObject({ Status: 'Failure', SuccessfulJobItems: n });
    expect((await q(`SELECT Id FROM AsyncOperationTracker WHERE Status = 'Cancelled'`)).totalSize).toBe(0);
  });
});
