import { waitFor } from '@asyncops/testing';
import { CLIENTS, ImportStack } from './voucherify-sdk-support';

const ROWS = 200_000;
const BAD_EVERY = 1000;

/**
 * The importer is SIGKILLed in the middle of a 200,000-row import and started again: the action
 * ends DONE with exact counts, every row exactly once, and no committed batch is run twice.
 */
describe('voucher import survives SIGKILL of the importer (real broker and database)', () => {
  jest.setTimeout(240_000);
  // Small COPY batches: many commits to kill in between, each one a cursor to resume from.
  const stack = ImportStack.forSuite('vcrash', { IMPORT_COPY_BATCH_SIZE: '1000' });

  it('resumes at the committed cursor and finishes with exact counts and no duplicates', async () => {
    const lines = ['Code,Value,Discount Type,Category'];
    for (let row = 1; row <= ROWS; row++) lines.push(row % BAD_EVERY === 0 ? `K-${row},5,WRONG,c` : `K-${row},5,AMOUNT,c`);
    const file = stack.file('big.csv', `${lines.join('\n')}\n`);
    const { async_action_id } = (await stack.sdk().vouchers.importCSV(file)) as { async_action_id: string };

    const killedAt = await waitFor(
      'a few batches to commit',
      async () => {
        const [a] = await stack.db.query<{ batch_number: number }>(`SELECT batch_number FROM importer.async_action`);
        return a && a.batch_number >= 15 ? a.batch_number : undefined;
      },
      60_000,
      20,
    );
    const running = (await stack.sdk().asyncActions.get(async_action_id)) as unknown as { status: string; progress: number };
    expect(running.status).toBe('IN_PROGRESS');
    expect(running.progress).toBeGreaterThan(0);
    expect(running.progress).toBeLessThan(100);
    await stack.importer.kill();
    const [{ committed }] = await stack.db.query<{ committed: number }>(`SELECT batch_number AS committed FROM importer.async_action`);
    expect(committed).toBeGreaterThanOrEqual(killedAt);
    expect(committed).toBeLessThan(ROWS / 1000);
    const logsBefore = stack.importer.logs.length;
    await stack.importer.start();

    const done = await stack.finished(async_action_id, CLIENTS[0], 180_000);
    const failed = ROWS / BAD_EVERY;
    expect(done.status).toBe('DONE');
    expect(done.result).toMatchObject({ message: `${ROWS - failed} voucher(s) imported successfully, ${failed} failed.`, done_count: ROWS - failed, failed_count: failed });
    expect(done.result.failed?.map((f) => f.row)).toEqual(Array.from({ length: failed }, (_, i) => (i + 1) * BAD_EVERY));

    const [{ n, distinct, failures }] = await stack.db.query<{ n: number; distinct: number; failures: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT code)::int AS distinct, (SELECT count(*)::int FROM importer.import_failure) AS failures FROM importer.voucher`,
    );
    expect({ n, distinct, failures }).toEqual({ n: ROWS - failed, distinct: ROWS - failed, failures: failed });

    // The restarted importer went on after the committed batches instead of redoing them.
    const rerun = stack.importer.logs.slice(logsBefore).filter((l) => l.event === 'batch-imported' && Number(l.batch) <= committed);
    expect(rerun).toEqual([]);
  });
});
