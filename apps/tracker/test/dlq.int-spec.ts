import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { OperationEvents } from '@asyncops/contracts';
import { waitFor } from '@asyncops/testing';
import { newId, now, operation, submitted, TrackerEnv, trackerEnv, waitForStatus } from './support';

const ROOT = path.resolve(__dirname, '../../..');
const run = promisify(execFile);

interface Parked {
  messageId: string | null;
  routingKey: string;
  originalQueue: string | null;
  operationId: string | null;
  lastError: string | null;
  ageSeconds: number | null;
}

/**
 * The operator's dead-letter command (`npm run dlq`) against a real tracker: a lifecycle event
 * that keeps failing for a reason an operator can fix is parked; after the fix, replaying it
 * completes its operation. Purge removes what should not run again.
 */
describe('npm run dlq: list, replay and purge parked messages (real broker and database)', () => {
  jest.setTimeout(180_000);
  let t: TrackerEnv;

  const dlq = async (...args: string[]) => (await run('npm', ['run', '-s', 'dlq', '--', ...args], { cwd: ROOT, env: { ...process.env, AMQP_PREFIX: t.prefix } })).stdout;
  const listed = async () => JSON.parse(await dlq('list', '--json')) as Parked[];

  beforeAll(async () => {
    t = await trackerEnv('dlq');
    await t.startTracker();
  });

  afterAll(async () => {
    await t.db.query('DROP TRIGGER IF EXISTS ledger_closed ON tracker.async_operation').catch(() => undefined);
    await t.db.query('DROP FUNCTION IF EXISTS tracker.ledger_closed()').catch(() => undefined);
    await t.teardown();
  });

  it('parks a lifecycle event whose cause an operator fixes, and its replay completes the operation', async () => {
    const id = newId();
    await t.broker.publish(OperationEvents.Submitted, submitted(id, { totalJobItems: 2 }));
    await t.broker.publish(OperationEvents.Started, { operationId: id, occurredAt: now() });
    await t.broker.publish(OperationEvents.ItemsProgressed, { operationId: id, occurredAt: now(), succeeded: 2, failed: 0 });
    await waitFor('progress applied', async () => (await operation(t.db, id))?.successful_job_items === 2);

    // The poison cause: the database refuses to finish this operation until an operator steps in.
    await t.db.query(`CREATE FUNCTION tracker.ledger_closed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.status <> OLD.status THEN RAISE EXCEPTION 'ledger closed for maintenance'; END IF; RETURN NEW; END $$`);
    await t.db.query(`CREATE TRIGGER ledger_closed BEFORE UPDATE ON tracker.async_operation FOR EACH ROW WHEN (NEW.id = '${id}') EXECUTE FUNCTION tracker.ledger_closed()`);
    const finishedId = await t.broker.publish(OperationEvents.Finished, { operationId: id, occurredAt: now(), status: 'Completed' });

    const [parked] = await waitFor('the event parked', async () => {
      const rows = (await listed()).filter((p) => p.messageId === finishedId);
      return rows.length ? rows : undefined;
    }, 60_000, 500);
    expect(parked).toMatchObject({ routingKey: OperationEvents.Finished, originalQueue: `${t.prefix}.tracker.events`, operationId: id });
    expect(parked.lastError).toContain('ledger closed for maintenance');
    expect(parked.lastError).toContain('(after 3 attempts)');
    expect(parked.ageSeconds).toBeGreaterThanOrEqual(0);
    expect((await dlq('list')).split('\n')[0]).toMatch(/MESSAGE ID\s+ROUTING KEY\s+ORIGINAL QUEUE\s+OPERATION\s+AGE\s+LAST ERROR/);
    // Parked, not failed: the operation waits for the operator.
    expect(await operation(t.db, id)).toMatchObject({ status: 'InProgress' });

    await t.db.query('DROP TRIGGER ledger_closed ON tracker.async_operation');
    await t.db.query('DROP FUNCTION tracker.ledger_closed()');
    expect(await dlq('replay', '--operation', id)).toMatch(/^replayed 1 message\(s\)/);

    const done = await waitForStatus(t.db, id, 'Completed');
    expect(done).toMatchObject({ successful_job_items: 2, failed_job_items: 0 });
    expect((await listed()).filter((p) => p.operationId === id)).toEqual([]);
  });

  it('purges only the selected messages and keeps the rest', async () => {
    const keep = newId();
    const drop = newId();
    // Not JSON: parked at once.
    const dropId = await t.broker.publish(OperationEvents.Started, null, { raw: Buffer.from('{broken'), headers: { 'x-operation-id': drop } });
    const keepId = await t.broker.publish(OperationEvents.Started, null, { raw: Buffer.from('{broken'), headers: { 'x-operation-id': keep } });
    await waitFor('both parked', async () => {
      const ids = (await listed()).map((p) => p.messageId);
      return ids.includes(dropId) && ids.includes(keepId);
    }, 30_000, 500);

    expect(await dlq('purge', '--id', dropId)).toMatch(/^purged 1 message\(s\)/);
    const left = (await listed()).map((p) => p.messageId);
    expect(left).toContain(keepId);
    expect(left).not.toContain(dropId);

    await expect(dlq('purge')).rejects.toMatchObject({ stderr: expect.stringContaining('needs --all') });
    expect(await dlq('purge', '--all')).toMatch(/^purged \d+ message\(s\)/);
    expect(await listed()).toEqual([]);
  });
});
