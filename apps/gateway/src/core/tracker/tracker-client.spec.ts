import { OperationView, TrackerRpc } from '@asyncops/contracts';
import { JsonLogger } from '@asyncops/platform';
import { GatewayConfig } from '../../config';
import { GatewayRpc } from '../errors/gateway-rpc';
import { OperationViewCache } from './operation-view-cache';
import { TrackerClient } from './tracker-client';

const ID = '416fccbf-c19a-484e-a4d7-1c6fdcebf4bb';
const view = (version: number): OperationView => ({ id: ID, ownerId: 'shop', asyncOperationNumber: 'AON-0000000001', status: 'Submitted', version }) as OperationView;

describe('TrackerClient reads through the operation view cache', () => {
  const setup = (maxAgeMs = 2000) => {
    const config = Object.assign(new GatewayConfig(), { OPERATION_CACHE_MAX_AGE_MS: maxAgeMs, OPERATION_CACHE_SIZE: 100 });
    const views = new OperationViewCache({} as never, new JsonLogger('gateway', 'error', () => undefined), config);
    views.reset(true);
    const call = jest.fn();
    const client = new TrackerClient({ call } as unknown as GatewayRpc, views);
    return { client, call, views };
  };

  it("answers a read after the owner's submit from the tracker's answer to the submit, without asking again", async () => {
    const { client, call } = setup();
    call.mockResolvedValueOnce(view(1));
    await client.createOperation({ operationId: ID } as never);
    expect(await client.getOperation('shop', ID)).toEqual(view(1));
    expect(call).toHaveBeenCalledTimes(1);
  });

  it("asks the tracker for another owner's read, and passes its not-found on", async () => {
    const { client, call } = setup();
    call.mockResolvedValueOnce(view(1));
    await client.createOperation({ operationId: ID } as never);
    const notFound = new Error('not found');
    call.mockRejectedValueOnce(notFound);
    await expect(client.getOperation('intruder', ID)).rejects.toBe(notFound);
    expect(call).toHaveBeenLastCalledWith(TrackerRpc.GetOperation, { ownerId: 'intruder', operationId: ID });
  });

  it('fills on a miss, and re-reads after a newer change', async () => {
    const { client, call, views } = setup();
    call.mockResolvedValueOnce(view(1)).mockResolvedValueOnce(view(2));
    await client.getOperation('shop', ID);
    await client.getOperation('shop', ID);
    expect(call).toHaveBeenCalledTimes(1);
    views.changed(ID, 2);
    expect((await client.getOperation('shop', ID)).version).toBe(2);
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('always asks the tracker with the cache off, and for explicit reads', async () => {
    const off = setup(0);
    off.call.mockResolvedValue(view(1));
    await off.client.getOperation('shop', ID);
    await off.client.getOperation('shop', ID);
    expect(off.call).toHaveBeenCalledTimes(2);
    const on = setup();
    on.call.mockResolvedValue(view(1));
    await on.client.getOperation('shop', ID);
    await on.client.readOperation('shop', ID);
    expect(on.call).toHaveBeenCalledTimes(2);
  });

  it("shares one tracker read among concurrent readers of the same owner's operation, and not with another owner", async () => {
    const { client, call } = setup();
    let answer!: (v: OperationView) => void;
    call.mockImplementation((_key: string, req: { ownerId: string }) => (req.ownerId === 'shop' ? new Promise((r) => (answer = r)) : Promise.reject(new Error('not found'))));
    const a = client.getOperation('shop', ID);
    const b = client.getOperation('shop', ID);
    await expect(client.getOperation('intruder', ID)).rejects.toThrow('not found');
    answer(view(1));
    expect(await a).toEqual(view(1));
    expect(await b).toEqual(view(1));
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('serves a cached view only when it is at least the version the caller heard of', async () => {
    const { client, call } = setup();
    call.mockResolvedValueOnce(view(3));
    await client.cancelOperation({ ownerId: 'shop', operationId: ID } as never);
    expect((await client.getOperation('shop', ID, 3)).version).toBe(3);
    expect(call).toHaveBeenCalledTimes(1);
    call.mockResolvedValueOnce(view(4));
    expect((await client.getOperation('shop', ID, 4)).version).toBe(4);
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('asks the tracker again when the read it shared answers older than the version the caller heard of', async () => {
    const { client, call } = setup();
    let first!: (v: OperationView) => void;
    call.mockImplementationOnce(() => new Promise((r) => (first = r)));
    const before = client.getOperation('shop', ID);
    call.mockResolvedValueOnce(view(5));
    const woken = client.getOperation('shop', ID, 5);
    first(view(4));
    expect((await before).version).toBe(4);
    expect((await woken).version).toBe(5);
    expect(call).toHaveBeenCalledTimes(2);
  });

  it("takes the tracker's own answer to a woken read, whatever its version", async () => {
    const { client, call } = setup();
    call.mockResolvedValueOnce(view(4));
    expect((await client.getOperation('shop', ID, 5)).version).toBe(4);
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('does not let a reader after a write share a read that started before it', async () => {
    const { client, call } = setup();
    let first!: (v: OperationView) => void;
    call.mockImplementationOnce(() => new Promise((r) => (first = r)));
    const before = client.getOperation('shop', ID);
    call.mockResolvedValueOnce(view(2));
    await client.cancelOperation({ ownerId: 'shop', operationId: ID } as never);
    expect((await client.getOperation('shop', ID)).version).toBe(2);
    first(view(1));
    expect((await before).version).toBe(1);
    expect((await client.getOperation('shop', ID)).version).toBe(2);
  });
});
