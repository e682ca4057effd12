import { OperationEvents, OperationSubmitted, RpcErrorCode, SUBMITTED_JOB_EVENT_KEYS, SubmittedJob, TrackerRpc } from '@asyncops/contracts';
import { AmqpConnection, lifecycleMessageId, RpcClient, RpcError, Topology } from '@asyncops/messaging';
import { JsonLogger } from '@asyncops/platform';
import { ServiceProcess, TEST_AMQP_URL } from '@asyncops/testing';
import { at, newId, operation, TrackerEnv, trackerEnv } from './support';

/**
 * The gateway's read-your-writes for a job a service announced: the service's own
 * `operation.submitted` payloads, recorded by RPC, and the same events arriving later (or earlier)
 * through the broker change nothing.
 */
describe('tracker: recording a submitted job by request/reply (real broker and database)', () => {
  let t: TrackerEnv;
  let connection: AmqpConnection;
  let rpc: RpcClient;
  let tracker: ServiceProcess;

  beforeAll(async () => {
    t = await trackerEnv('record_submitted');
    tracker = await t.startTracker();
    const log = new JsonLogger('record-submitted-test', 'warn', () => undefined).child('test');
    connection = new AmqpConnection(TEST_AMQP_URL, new Topology(t.prefix, 3), log, 'record-submitted-test');
    await connection.start();
    rpc = new RpcClient(connection, 'gateway', log);
  });
  afterAll(async () => {
    rpc?.close();
    await connection?.close();
    await t.teardown();
  });

  const job = (occurredAt = at(-60_000)): SubmittedJob & { children: OperationSubmitted[] } => {
    const parent = newId();
    const common = { occurredAt, ownerId: 'client-a', producer: 'order-placement', referenceEntityId: newId(), referenceEntityType: 'Order', requestId: `req-${parent.slice(0, 8)}` };
    return {
      operation: { ...common, operationId: parent, jobType: 'PlaceOrder' },
      children: [
        { ...common, operationId: newId(), jobType: 'PlaceOrderPriceAsync', parentOperationId: parent, totalJobItems: 3 },
        { ...common, operationId: newId(), jobType: 'PlaceOrderTaxAsync', parentOperationId: parent, totalJobItems: 3 },
      ],
    };
  };

  it('records the job and its children exactly as the events would, and the events arriving afterwards change nothing', async () => {
    const j = job();
    const view = await rpc.request(TrackerRpc.RecordSubmitted, j, 20_000);
    expect(view).toMatchObject({
      id: j.operation.operationId,
      status: 'Submitted',
      jobType: 'PlaceOrder',
      producer: 'order-placement',
      submittedAt: j.operation.occurredAt,
      requestId: j.operation.requestId,
      // The one default: without a client-given identifier, the request id is the correlation identifier.
      correlationIdentifier: j.operation.requestId,
      childCount: 2,
    });
    const before = await Promise.all([j.operation, ...j.children].map((s) => operation(t.db, s.operationId)));
    expect(before.every((row) => row?.status === 'Submitted')).toBe(true);

    const messageIds: string[] = [];
    for (const s of [j.operation, ...j.children]) messageIds.push(await t.broker.publish(OperationEvents.Submitted, s));
    // Events are applied in arrival order, one batch after another: once a later job is recorded, the copies were handled.
    const later = job().operation;
    await t.broker.publish(OperationEvents.Submitted, later);
    await waitForRow(later.operationId);
    // A copy of a recorded submit is acked after one read: no transaction, so no processed-message record.
    const [{ n }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tracker.processed_message WHERE message_id = ANY($1)', [messageIds]);
    expect(n).toBe(0);
    const after = await Promise.all([j.operation, ...j.children].map((s) => operation(t.db, s.operationId)));
    expect(after.map((row) => row?.version)).toEqual(before.map((row) => row?.version));
    expect(after.map((row) => row?.status)).toEqual(['Submitted', 'Submitted', 'Submitted']);
    const rows = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tracker.async_operation WHERE id = ANY($1)', [[j.operation.operationId, ...j.children.map((c) => c.operationId)]]);
    expect(rows[0].n).toBe(3);
  });

  it('answers with the record the events already made when they came first', async () => {
    const j = job();
    await t.broker.publish(OperationEvents.Submitted, j.operation);
    const first = await waitForRow(j.operation.operationId);
    const view = await rpc.request(TrackerRpc.RecordSubmitted, { operation: j.operation }, 20_000);
    expect(view).toMatchObject({ id: j.operation.operationId, version: first.version, submittedAt: j.operation.occurredAt });
  });

  it("refuses children that are not the job's own, and an id another owner holds", async () => {
    const j = job();
    const stray = { ...j.children[0], parentOperationId: newId() };
    await expect(rpc.request(TrackerRpc.RecordSubmitted, { operation: j.operation, children: [stray] }, 20_000)).rejects.toMatchObject({ code: RpcErrorCode.Invalid });
    expect(await operation(t.db, j.operation.operationId)).toBeUndefined();

    await rpc.request(TrackerRpc.RecordSubmitted, { operation: j.operation }, 20_000);
    const theft = rpc.request(TrackerRpc.RecordSubmitted, { operation: { ...j.operation, ownerId: 'client-b' } }, 20_000);
    await expect(theft).rejects.toBeInstanceOf(RpcError);
    await expect(theft).rejects.toMatchObject({ code: RpcErrorCode.Conflict, message: `operation ${j.operation.operationId} already exists` });
  });

  it('records a job done at once with its events, and their outbox copies arriving afterwards change nothing', async () => {
    const j = job(at(-5_000)).operation;
    const id = j.operationId;
    const event = (routingKey: (typeof SUBMITTED_JOB_EVENT_KEYS)[number], payload: Record<string, unknown>) => ({ messageId: lifecycleMessageId(routingKey, payload), routingKey, payload });
    const events = [
      event(OperationEvents.Started, { operationId: id, occurredAt: at(-4_000), totalJobItems: 2 }),
      event(OperationEvents.StepChanged, { operationId: id, occurredAt: at(-3_000), stepName: 'performDMLOnOrderItems' }),
      event(OperationEvents.ItemsProgressed, { operationId: id, occurredAt: at(-2_000), succeeded: 2, failed: 0 }),
      event(OperationEvents.Finished, { operationId: id, occurredAt: at(-1_000), status: 'Completed', successfulJobItems: 2, failedJobItems: 0, totalJobItems: 2 }),
    ];
    const view = await rpc.request(TrackerRpc.RecordSubmitted, { operation: j, events }, 20_000);
    expect(view).toMatchObject({ id, status: 'Completed', stepName: 'performDMLOnOrderItems', totalJobItems: 2, successfulJobItems: 2, failedJobItems: 0 });
    const recorded = await operation(t.db, id);
    expect(recorded).toMatchObject({ status: 'Completed', successful_job_items: 2 });
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM tracker.processed_message WHERE consumer = 'tracker.events' AND message_id = ANY($1)", [events.map((e) => e.messageId)]);
    expect(n).toBe(events.length);

    // The outbox's copies: the submit, then the events under the same message ids (progress would count twice if applied).
    await t.broker.publish(OperationEvents.Submitted, j);
    for (const e of events) await t.broker.publish(e.routingKey, e.payload, { messageId: e.messageId });
    const later = job().operation;
    await t.broker.publish(OperationEvents.Submitted, later);
    await waitForRow(later.operationId);
    expect(await operation(t.db, id)).toMatchObject({ status: 'Completed', successful_job_items: 2, version: recorded?.version });
  });

  it('skips events recorded as processed before: a second request with the same events changes nothing', async () => {
    const j = job(at(-5_000)).operation;
    const id = j.operationId;
    const event = (routingKey: (typeof SUBMITTED_JOB_EVENT_KEYS)[number], payload: Record<string, unknown>) => ({ messageId: lifecycleMessageId(routingKey, payload), routingKey, payload });
    const events = [
      event(OperationEvents.Started, { operationId: id, occurredAt: at(-4_000), totalJobItems: 4 }),
      event(OperationEvents.ItemsProgressed, { operationId: id, occurredAt: at(-2_000), succeeded: 2, failed: 0 }),
    ];
    const first = await rpc.request(TrackerRpc.RecordSubmitted, { operation: j, events }, 20_000);
    expect(first).toMatchObject({ id, status: 'InProgress', successfulJobItems: 2 });
    const recorded = await operation(t.db, id);
    // Another request (not a redelivery: no stored reply answers it) naming the same events.
    const second = await rpc.request(TrackerRpc.RecordSubmitted, { operation: j, events }, 20_000);
    expect(second).toMatchObject({ id, status: 'InProgress', successfulJobItems: 2 });
    expect(await operation(t.db, id)).toMatchObject({ successful_job_items: 2, version: recorded?.version });
  });

  it("refuses events of another operation, leaving nothing recorded", async () => {
    const j = job().operation;
    const payload = { operationId: newId(), occurredAt: at(-1_000) };
    const events = [{ messageId: lifecycleMessageId(OperationEvents.Started, payload), routingKey: OperationEvents.Started, payload }];
    await expect(rpc.request(TrackerRpc.RecordSubmitted, { operation: j, events }, 20_000)).rejects.toMatchObject({ code: RpcErrorCode.Invalid });
    expect(await operation(t.db, j.operationId)).toBeUndefined();
  });

  // Last: it restarts the tracker with a broker-user map that does not let this caller report for the producer.
  it('records only the submit when the caller may not report for the producer; the events stay the producer\'s to deliver', async () => {
    await tracker.stop();
    tracker = await t.startTracker({ PRODUCER_BROKER_USERS: '{"guest":["importer"]}' });
    const j = job(at(-5_000)).operation;
    const payload = { operationId: j.operationId, occurredAt: at(-4_000), totalJobItems: 2 };
    const events = [{ messageId: lifecycleMessageId(OperationEvents.Started, payload), routingKey: OperationEvents.Started, payload }];
    const view = await rpc.request(TrackerRpc.RecordSubmitted, { operation: j, events }, 20_000);
    expect(view).toMatchObject({ id: j.operationId, status: 'Submitted' });
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM tracker.processed_message WHERE message_id = $1", [events[0].messageId]);
    expect(n).toBe(0);
    expect(tracker.logs.some((l) => l.event === 'submit-events-refused' && l.operationId === j.operationId)).toBe(true);
  });

  async function waitForRow(id: string) {
    for (let i = 0; i < 300; i++) {
      const row = await operation(t.db, id);
      if (row) return row;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`operation ${id} was never recorded`);
  }
});
