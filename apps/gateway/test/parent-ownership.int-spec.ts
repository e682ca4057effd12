import { OperationEvents } from '@asyncops/contracts';
import { CLIENT_A, CLIENT_B, Stack, startStack, TestBroker, TestClient, waitFor } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';


interface OperationJson {
  id: string;
  status: string;
  childCount: number;
  totalJobItems: number | null;
  parentOperationId: string | null;
}

/**
 * Object-level authorisation of the operation tree: a client can hang an operation only under one
 * of its own, and a parent rolls up only its owner's children, however the child was reported.
 */
describe('parent operations belong to their owner (gateway + tracker)', () => {
  jest.setTimeout(120_000);

  let stack: Stack;
  let broker: TestBroker;

  const api = (path: string, client: TestClient, init: RequestInit = {}) => stack.api(path, init, client);
  const create = (client: TestClient, body: Record<string, unknown>) => api('/api/v1/operations', client, { method: 'POST', body: JSON.stringify({ jobType: 'PlaceOrder', ...body }) });
  const read = async (id: string, client = CLIENT_A) => (await (await api(`/api/v1/operations/${id}`, client)).json()) as OperationJson;

  beforeAll(async () => {
    stack = await startStack('parent_owner', { apps: ['tracker', 'gateway'], clients: { list: [CLIENT_A, CLIENT_B], hashSecret } });
    ({ broker } = stack);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("refuses another client's operation (or none) as parentOperationId with 404 naming the field, and writes nothing", async () => {
    const parent = (await (await create(CLIENT_A, { totalJobItems: 1 })).json()) as OperationJson;

    for (const parentOperationId of [parent.id, crypto.randomUUID()]) {
      const res = await create(CLIENT_B, { parentOperationId, correlationIdentifier: `intruder-${parentOperationId}` });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'NOT_FOUND', errors: [expect.objectContaining({ field: 'parentOperationId' })] });
      const listed = (await (await api(`/api/v1/operations?correlationIdentifier=intruder-${parentOperationId}`, CLIENT_B)).json()) as { data: unknown[] };
      expect(listed.data).toEqual([]);
    }
    expect(await read(parent.id)).toMatchObject({ childCount: 0, status: 'Submitted' });

    const child = await create(CLIENT_A, { parentOperationId: parent.id, totalJobItems: 3 });
    expect(child.status).toBe(201);
    await waitFor('the own child rolled up', async () => (await read(parent.id)).childCount === 1);
  });

  it("does not roll another owner's child into a parent, however it is reported", async () => {
    const parent = (await (await create(CLIENT_A, {})).json()) as OperationJson;
    const intruder = crypto.randomUUID();
    // A producer reporting for client B names A's operation as the parent.
    await broker.publish(OperationEvents.Submitted, {
      operationId: intruder,
      occurredAt: new Date().toISOString(),
      ownerId: CLIENT_B.id,
      jobType: 'PlaceOrder',
      producer: CLIENT_B.id,
      parentOperationId: parent.id,
      totalJobItems: 50,
    });
    await broker.publish(OperationEvents.Finished, { operationId: intruder, occurredAt: new Date().toISOString(), status: 'Failure' });
    await waitFor('the intruding child recorded for its owner', async () => (await read(intruder, CLIENT_B)).status === 'Failure');
    // A child's roll-up commits with the child's own change: by now the parent would show it.
    expect(await read(parent.id)).toMatchObject({ childCount: 0, status: 'Submitted', totalJobItems: null });
  });
});
