import { OperationEvents } from '@asyncops/contracts';
import { waitFor } from '@asyncops/testing';
import { at, newId, now, operation, submitted, TrackerEnv, trackerEnv, waitForStatus } from './support';

describe('tracker: applying lifecycle events (real broker and database)', () => {
  let t: TrackerEnv;

  beforeAll(async () => {
    t = await trackerEnv('lifecycle');
    await t.startTracker();
  });
  afterAll(() => t.teardown());

  it('applies a full lifecycle and rolls a parent up from three children', async () => {
    const parent = newId();
    const children = [newId(), newId(), newId()];
    await t.broker.publish(OperationEvents.Submitted, submitted(parent));
    for (const c of children) await t.broker.publish(OperationEvents.Submitted, submitted(c, { parentOperationId: parent, totalJobItems: 10 }));
    for (const c of children) {
      await t.broker.publish(OperationEvents.Started, { operationId: c, occurredAt: now(), stepName: 'PlaceOrderPriceAsync' });
      await t.broker.publish(OperationEvents.ItemsProgressed, { operationId: c, occurredAt: now(), succeeded: 8, failed: 2, failures: [{ itemKey: 'line-1', reason: 'no price' }] });
    }
    await waitFor('parent in progress with rolled-up counts', async () => {
      const p = await operation(t.db, parent);
      return p?.status === 'InProgress' && p.successful_job_items === 24 && p.failed_job_items === 6 && p.total_job_items === 30;
    });
    await t.broker.publish(OperationEvents.Finished, { operationId: children[0], occurredAt: now(), status: 'Completed' });
    await t.broker.publish(OperationEvents.Finished, { operationId: children[1], occurredAt: now(), status: 'Completed' });
    const mid = await operation(t.db, parent);
    expect(mid?.status).toBe('InProgress');
    await t.broker.publish(OperationEvents.Finished, { operationId: children[2], occurredAt: now(), status: 'Failure', message: 'tax service down' });
    const done = await waitForStatus(t.db, parent, 'CompletedWithFailures');
    expect(done.child_count).toBe(3);
    expect(done.finished_at).not.toBeNull();
    const failures = await t.db.query('SELECT * FROM tracker.item_failure WHERE operation_id = ANY($1)', [children]);
    expect(failures).toHaveLength(3);
  });

  it('ends operations Cancelled (from Submitted and from InProgress), keeps it final, and rolls parents up by the cancellation rules', async () => {
    const cancelledParent = newId();
    const mixedParent = newId();
    const [a, b, c, d] = [newId(), newId(), newId(), newId()];
    for (const p of [cancelledParent, mixedParent]) await t.broker.publish(OperationEvents.Submitted, submitted(p));
    for (const x of [a, b]) await t.broker.publish(OperationEvents.Submitted, submitted(x, { parentOperationId: cancelledParent, totalJobItems: 10 }));
    for (const x of [c, d]) await t.broker.publish(OperationEvents.Submitted, submitted(x, { parentOperationId: mixedParent, totalJobItems: 10 }));
    await t.broker.publish(OperationEvents.ItemsProgressed, { operationId: a, occurredAt: now(), succeeded: 4, failed: 0 });
    await t.broker.publish(OperationEvents.Finished, { operationId: a, occurredAt: now(), status: 'Cancelled', message: 'cancelled after 4', successfulJobItems: 4, failedJobItems: 0 });
    // Cancelled straight from Submitted: nothing was done.
    await t.broker.publish(OperationEvents.Finished, { operationId: b, occurredAt: now(), status: 'Cancelled', successfulJobItems: 0, failedJobItems: 0 });
    const parent = await waitForStatus(t.db, cancelledParent, 'Cancelled');
    expect(parent).toMatchObject({ successful_job_items: 4, failed_job_items: 0, total_job_items: 20, child_count: 2 });
    expect(parent.finished_at).not.toBeNull();
    const child = await waitForStatus(t.db, a, 'Cancelled');
    expect(child).toMatchObject({ message: 'cancelled after 4', successful_job_items: 4 });
    expect(child.started_at).not.toBeNull();

    // Terminal: a late completion changes nothing.
    await t.broker.publish(OperationEvents.Finished, { operationId: a, occurredAt: at(1000), status: 'Completed' });
    await t.broker.publish(OperationEvents.Started, { operationId: c, occurredAt: now() });
    await t.broker.publish(OperationEvents.Finished, { operationId: c, occurredAt: now(), status: 'Completed' });
    await t.broker.publish(OperationEvents.Finished, { operationId: d, occurredAt: now(), status: 'Cancelled' });
    await waitForStatus(t.db, mixedParent, 'CompletedWithFailures');
    expect((await operation(t.db, a))?.status).toBe('Cancelled');
  });

  it('counts a message delivered twice only once', async () => {
    const id = newId();
    await t.broker.publish(OperationEvents.Submitted, submitted(id));
    const messageId = newId();
    const progress = { operationId: id, occurredAt: now(), succeeded: 5, failed: 1 };
    await t.broker.publish(OperationEvents.ItemsProgressed, progress, { messageId });
    await t.broker.publish(OperationEvents.ItemsProgressed, progress, { messageId });
    await t.broker.publish(OperationEvents.ItemsProgressed, { ...progress, succeeded: 1, failed: 0 });
    await t.broker.publish(OperationEvents.Finished, { operationId: id, occurredAt: at(10), status: 'CompletedWithFailures' });
    const row = await waitForStatus(t.db, id, 'CompletedWithFailures');
    expect(row.successful_job_items).toBe(6);
    expect(row.failed_job_items).toBe(1);
  });

  it('rolls a parent up, once it is submitted, from children that reported before it existed', async () => {
    const parent = newId();
    const [done, running] = [newId(), newId()];
    for (const c of [done, running]) await t.broker.publish(OperationEvents.Submitted, submitted(c, { parentOperationId: parent, totalJobItems: 5 }));
    await t.broker.publish(OperationEvents.Started, { operationId: done, occurredAt: now() });
    await t.broker.publish(OperationEvents.Finished, { operationId: done, occurredAt: now(), status: 'Completed', successfulJobItems: 5 });
    await t.broker.publish(OperationEvents.Started, { operationId: running, occurredAt: now() });
    await waitForStatus(t.db, done, 'Completed');
    await waitForStatus(t.db, running, 'InProgress');
    expect(await operation(t.db, parent)).toBeUndefined();
    await t.broker.publish(OperationEvents.Submitted, submitted(parent));
    await waitFor('parent rolled up from its earlier children', async () => {
      const p = await operation(t.db, parent);
      return p?.status === 'InProgress' && p.child_count === 2 && p.successful_job_items === 5 && p.total_job_items === 10;
    });
  });

  it('applies events that arrive before their operation, and rejects stale ones', async () => {
    const id = newId();
    // Progress and finish overtake the submit; the started event arrives last of all.
    await t.broker.publish(OperationEvents.ItemsProgressed, { operationId: id, occurredAt: at(-3000), succeeded: 3, failed: 0 });
    await t.broker.publish(OperationEvents.Finished, { operationId: id, occurredAt: at(-1000), status: 'Completed', successfulJobItems: 4, totalJobItems: 4 });
    await waitFor('both events parked', async () => (await t.db.query('SELECT 1 FROM tracker.orphan_event WHERE operation_id = $1', [id])).length === 2);
    await t.broker.publish(OperationEvents.Submitted, submitted(id, { occurredAt: at(-5000) }));
    const row = await waitForStatus(t.db, id, 'Completed');
    expect(row.successful_job_items).toBe(4);
    expect(row.total_job_items).toBe(4);
    const version = row.version;
    await t.broker.publish(OperationEvents.Started, { operationId: id, occurredAt: at(-4000) });
    await t.broker.publish(OperationEvents.ItemsProgressed, { operationId: id, occurredAt: now(), succeeded: 9, failed: 9 });
    await t.broker.publish(OperationEvents.Finished, { operationId: id, occurredAt: now(), status: 'Failure' });
    await waitFor('three rejections logged', async () =>
      t.trackers[0].logs.filter((l) => l.event === 'transition-rejected' && l.operationId === id).length === 3,
    );
    const after = await operation(t.db, id);
    expect(after).toMatchObject({ status: 'Completed', successful_job_items: 4, failed_job_items: 0, version });
    expect((await t.db.query('SELECT 1 FROM tracker.orphan_event WHERE operation_id = $1', [id])).length).toBe(0);
  });

  it('ignores a step change older than the current step', async () => {
    const id = newId();
    await t.broker.publish(OperationEvents.Submitted, submitted(id));
    await t.broker.publish(OperationEvents.StepChanged, { operationId: id, occurredAt: at(2000), stepName: 'PlaceOrderTaxAsync' });
    await waitFor('step applied', async () => (await operation(t.db, id))?.step_name === 'PlaceOrderTaxAsync');
    await t.broker.publish(OperationEvents.StepChanged, { operationId: id, occurredAt: at(1000), stepName: 'PlaceOrderPriceAsync' });
    await waitFor('stale step rejected', async () => t.trackers[0].logs.some((l) => l.event === 'transition-rejected' && l.operationId === id));
    expect((await operation(t.db, id))?.step_name).toBe('PlaceOrderTaxAsync');
    expect((await operation(t.db, id))?.status).toBe('InProgress');
  });

  it('sends non-JSON, unknown and invalid messages to the dead-letter queue and keeps going', async () => {
    const before = await t.broker.messageCount('dead-letter');
    await t.broker.publish(OperationEvents.Started, null, { raw: Buffer.from('{not json') });
    await t.broker.publish('operation.exploded', { operationId: newId(), occurredAt: now() });
    const invalid = newId();
    await t.broker.publish(OperationEvents.Submitted, { ...submitted(invalid), jobType: 'NotAJobType' });
    await waitFor('three dead letters', async () => (await t.broker.messageCount('dead-letter')) >= before + 3);
    const letters = (await t.broker.drain('dead-letter')).slice(-3);
    const reasons = letters.map((m) => String(m.properties.headers?.['x-last-error']));
    expect(reasons[0]).toMatch(/not valid JSON/);
    expect(reasons[1]).toMatch(/no handler for routing key "operation.exploded"/);
    expect(reasons[2]).toMatch(/jobType: isIn/);
    const ok = newId();
    await t.broker.publish(OperationEvents.Submitted, submitted(ok));
    await waitForStatus(t.db, ok, 'Submitted');
    expect(await operation(t.db, invalid)).toBeUndefined();
    const live = await fetch(`${t.trackers[0].url}/health/live`);
    expect(live.status).toBe(200);
  });

  it('applies a burst in batches, and a poison event among them fails alone', async () => {
    const ids = [newId(), newId(), newId()];
    const poison = newId();
    const before = await t.broker.messageCount('dead-letter');
    // One burst, so the events meet in the same batches.
    await t.broker.publishMany([
      ...[...ids, poison].map((id) => ({ routingKey: OperationEvents.Submitted, body: submitted(id) })),
      ...ids.flatMap((id) => Array.from({ length: 10 }, () => ({ routingKey: OperationEvents.ItemsProgressed, body: { operationId: id, occurredAt: now(), succeeded: 1, failed: 0 } }))),
      // Valid for the contract, but PostgreSQL refuses a NUL character: its transaction always fails.
      { routingKey: OperationEvents.ItemsProgressed, body: { operationId: poison, occurredAt: now(), succeeded: 0, failed: 1, failures: [{ reason: 'bad\u0000byte' }] } },
      ...ids.map((id) => ({ routingKey: OperationEvents.Finished, body: { operationId: id, occurredAt: at(1000), status: 'Completed' } })),
    ]);
    for (const id of ids) expect(await waitForStatus(t.db, id, 'Completed')).toMatchObject({ successful_job_items: 10, failed_job_items: 0 });
    await waitFor('the poison event dead-lettered', async () => (await t.broker.messageCount('dead-letter')) >= before + 1, 60_000);
    const letters = await t.broker.drain('dead-letter');
    expect(letters.map((m) => JSON.parse(m.content.toString()).operationId)).toContain(poison);
    expect(t.trackers[0].logs.some((l) => l.event === 'batch-split')).toBe(true);
    expect((await t.db.query('SELECT 1 FROM tracker.item_failure WHERE operation_id = $1', [poison])).length).toBe(0);
  });

  it('deletes expired operations and keeps a tombstone for the deleted feed', async () => {
    const id = newId();
    await t.broker.publish(OperationEvents.Submitted, submitted(id, { expiresAt: at(500) }));
    await waitForStatus(t.db, id, 'Submitted');
    await waitFor('expired operation swept', async () => !(await operation(t.db, id)), 15_000);
    const [tomb] = await t.db.query<{ owner_id: string }>('SELECT owner_id FROM tracker.deleted_operation WHERE id = $1', [id]);
    expect(tomb.owner_id).toBe('client-a');
  });
});
