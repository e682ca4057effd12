import { EventEmitter } from 'node:events';
import { OperationView, TrackerRpc } from '@asyncops/contracts';
import { AmqpConnection } from '@asyncops/messaging';
import { JsonLogger, loadConfig } from '@asyncops/platform';
import { GatewayConfig } from '../../config';
import { GatewayRpc } from '../errors/gateway-rpc';
import { OperationViewCache } from './operation-view-cache';
import { OperationWaiter, WaitHandle } from './operation-waiter';
import { TrackerClient } from './tracker-client';

const ID = '7d1f7c3e-2b4a-4f7e-9c1d-3a5b6c7d8e9f';

class OfflineConnection extends EventEmitter {
  isConnected(): boolean {
    return false;
  }
}

function makeWaiter(waitMax = 60, views?: OperationViewCache): OperationWaiter {
  const config = loadConfig('gateway', GatewayConfig, { WAIT_MAX_SECONDS: String(waitMax) });
  return new OperationWaiter(new OfflineConnection() as unknown as AmqpConnection, config, new JsonLogger('gateway', 'error', () => undefined), views);
}

/** A waiter, the view cache and a tracker client over a tracker the test answers for, as the long-poll route composes them. */
function withCache() {
  const config = loadConfig('gateway', GatewayConfig, { WAIT_MAX_SECONDS: '60', OPERATION_CACHE_MAX_AGE_MS: '60000' });
  const views = new OperationViewCache(new OfflineConnection() as unknown as AmqpConnection, new JsonLogger('gateway', 'error', () => undefined), config);
  views.reset(true);
  const call = jest.fn();
  const client = new TrackerClient({ call } as unknown as GatewayRpc, views);
  const waiter = makeWaiter(60, views);
  const read = (atLeastVersion: number) => client.getOperation('shop', ID, atLeastVersion);
  return { views, call, client, waiter, read };
}

const viewOf = (status: OperationView['status'], version: number) => ({ id: ID, ownerId: 'shop', asyncOperationNumber: 'AON-0000000001', status, version }) as OperationView;

/** A tracker whose answer the test controls. */
function tracker(initial: OperationView['status']) {
  const state = { status: initial, reads: 0 };
  const read = jest.fn(async () => {
    state.reads++;
    return { id: ID, status: state.status } as OperationView;
  });
  return { state, read };
}

const changed = (status: string, operationId = ID, version = 2) => ({ operationId, status, ownerId: 'shop', progress: 0, version, changedAt: new Date().toISOString() });

describe('OperationWaiter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('answers at once when no wait is asked for, or the operation is already terminal', async () => {
    const waiter = makeWaiter();
    const t = tracker('InProgress');
    await expect(waiter.readWhenSettled(ID, t.read, 0)).resolves.toMatchObject({ status: 'InProgress' });
    t.state.status = 'Completed';
    await expect(waiter.readWhenSettled(ID, t.read, 30)).resolves.toMatchObject({ status: 'Completed' });
    expect(t.read).toHaveBeenCalledTimes(2);
    expect(waiter.activeWaits).toBe(0);
  });

  it('resolves when a terminal change is announced, re-reading the operation', async () => {
    const waiter = makeWaiter();
    const t = tracker('InProgress');
    const result = waiter.readWhenSettled(ID, t.read, 30);
    await jest.advanceTimersByTimeAsync(1000);
    expect(waiter.activeWaits).toBe(1);

    waiter.onOperationChanged(changed('InProgress'));
    await jest.advanceTimersByTimeAsync(0);
    expect(t.state.reads).toBe(1);

    t.state.status = 'CompletedWithFailures';
    waiter.onOperationChanged(changed('CompletedWithFailures'));
    await expect(result).resolves.toMatchObject({ status: 'CompletedWithFailures' });
    expect(t.state.reads).toBe(2);
    expect(waiter.activeWaits).toBe(0);
  });

  it('ignores changes of other operations and unreadable events', async () => {
    const waiter = makeWaiter();
    const t = tracker('InProgress');
    const result = waiter.readWhenSettled(ID, t.read, 5);
    await jest.advanceTimersByTimeAsync(10);
    waiter.onOperationChanged(changed('Completed', '00000000-0000-4000-8000-000000000000'));
    waiter.onOperationChanged('garbage');
    waiter.onOperationChanged(null);
    await jest.advanceTimersByTimeAsync(10);
    expect(t.state.reads).toBe(1);
    await jest.advanceTimersByTimeAsync(5000);
    await result;
  });

  it('times out and answers with a fresh read of the current state', async () => {
    const waiter = makeWaiter();
    const t = tracker('InProgress');
    const result = waiter.readWhenSettled(ID, t.read, 3);
    await jest.advanceTimersByTimeAsync(2999);
    expect(t.state.reads).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toMatchObject({ status: 'InProgress' });
    expect(t.state.reads).toBe(2);
    expect(waiter.activeWaits).toBe(0);
  });

  it('caps the wait at WAIT_MAX_SECONDS', async () => {
    const waiter = makeWaiter(2);
    expect(waiter.capSeconds(3600)).toBe(2);
    expect(waiter.capSeconds(1)).toBe(1);
    expect(waiter.capSeconds(-5)).toBe(0);
    const t = tracker('Submitted');
    let settled = false;
    const result = waiter.readWhenSettled(ID, t.read, 3600).then((v) => ((settled = true), v));
    await jest.advanceTimersByTimeAsync(2000);
    expect(settled).toBe(true);
    await result;
  });

  it('does not miss a change announced while the first read is in flight', async () => {
    const waiter = makeWaiter();
    let status: OperationView['status'] = 'InProgress';
    const read = jest.fn(async () => {
      const answer = { id: ID, status } as OperationView;
      // The operation finishes right after the tracker answered, before the wait begins.
      status = 'Completed';
      waiter.onOperationChanged(changed('Completed'));
      return answer;
    });
    const result = waiter.readWhenSettled(ID, read, 30);
    await jest.advanceTimersByTimeAsync(0);
    await expect(result).resolves.toMatchObject({ status: 'Completed' });
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('stops waiting when the caller goes away', async () => {
    const waiter = makeWaiter();
    const t = tracker('InProgress');
    const gone = new AbortController();
    const result = waiter.readWhenSettled(ID, t.read, 30, gone.signal);
    await jest.advanceTimersByTimeAsync(10);
    gone.abort();
    await expect(result).resolves.toMatchObject({ status: 'InProgress' });
    expect(waiter.activeWaits).toBe(0);
  });

  it('releases every wait on shutdown and answers later requests at once', async () => {
    const waiter = makeWaiter();
    await waiter.onModuleInit();
    const t = tracker('InProgress');
    const result = waiter.readWhenSettled(ID, t.read, 30);
    await jest.advanceTimersByTimeAsync(10);
    await waiter.onModuleDestroy();
    await expect(result).resolves.toMatchObject({ status: 'InProgress' });
    expect(t.state.reads).toBe(2);
    await waiter.readWhenSettled(ID, t.read, 30);
    expect(t.state.reads).toBe(3);
  });
});

describe('OperationWaiter reading through the view cache', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("answers the first read from the owner's submit, and after the finish never with the view the finish made out of date", async () => {
    const { call, client, waiter, read } = withCache();
    call.mockResolvedValueOnce(viewOf('Submitted', 1));
    await client.recordSubmitted({ operation: { operationId: ID } } as never);
    const result = waiter.readWhenSettled(ID, read, 30);
    await jest.advanceTimersByTimeAsync(10);
    expect(call).toHaveBeenCalledTimes(1);

    // Heard by the waiter before the cache's own subscription hears it.
    call.mockResolvedValueOnce(viewOf('Completed', 4));
    waiter.onOperationChanged(changed('Completed', ID, 4));
    await expect(result).resolves.toMatchObject({ status: 'Completed', version: 4 });
    expect(call).toHaveBeenCalledTimes(2);
    expect(call).toHaveBeenLastCalledWith(TrackerRpc.GetOperation, { ownerId: 'shop', operationId: ID });
  });

  it('does not wait on a cached view when the finish was heard just before the long-poll began', async () => {
    const { call, client, waiter, read } = withCache();
    call.mockResolvedValueOnce(viewOf('Submitted', 1));
    await client.recordSubmitted({ operation: { operationId: ID } } as never);
    waiter.onOperationChanged(changed('Completed', ID, 4));
    call.mockResolvedValueOnce(viewOf('Completed', 4));
    const result = waiter.readWhenSettled(ID, read, 30);
    await jest.advanceTimersByTimeAsync(0);
    await expect(result).resolves.toMatchObject({ status: 'Completed', version: 4 });
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('takes a cached view after the wake-up when it is as new as the waking change', async () => {
    const { call, views, waiter, read } = withCache();
    call.mockResolvedValueOnce(viewOf('InProgress', 2));
    const result = waiter.readWhenSettled(ID, read, 30);
    await jest.advanceTimersByTimeAsync(10);
    // Another reader already stored the finished view when the wake-up comes.
    views.store(viewOf('Completed', 3));
    waiter.onOperationChanged(changed('Completed', ID, 3));
    await expect(result).resolves.toMatchObject({ status: 'Completed', version: 3 });
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('answers a woken long-poll with the view its terminal change carries, without asking the tracker', async () => {
    const { call, client, waiter, read } = withCache();
    call.mockResolvedValueOnce(viewOf('Submitted', 1));
    await client.recordSubmitted({ operation: { operationId: ID } } as never);
    const result = waiter.readWhenSettled(ID, read, 30);
    await jest.advanceTimersByTimeAsync(10);
    waiter.onOperationChanged({ ...changed('Completed', ID, 4), view: viewOf('Completed', 4) });
    await expect(result).resolves.toEqual(viewOf('Completed', 4));
    expect(call).toHaveBeenCalledTimes(1);
  });

  it("asks the tracker for another owner's long-poll, and passes its not-found on", async () => {
    const { call, client, waiter } = withCache();
    call.mockResolvedValueOnce(viewOf('Submitted', 1));
    await client.recordSubmitted({ operation: { operationId: ID } } as never);
    call.mockRejectedValueOnce(new Error('not found'));
    await expect(waiter.readWhenSettled(ID, (v) => client.getOperation('intruder', ID, v), 30)).rejects.toThrow('not found');
    expect(call).toHaveBeenLastCalledWith(TrackerRpc.GetOperation, { ownerId: 'intruder', operationId: ID });
    expect(waiter.activeWaits).toBe(0);
  });
});

describe('WaitHandle', () => {
  it('remembers a wake-up that arrived before the wait', async () => {
    const h = new WaitHandle();
    h.notify('changed');
    await expect(h.wait(10_000)).resolves.toBe('changed');
  });

  it('stays closed once closed', async () => {
    const h = new WaitHandle();
    h.notify('closed');
    await expect(h.wait(10_000)).resolves.toBe('closed');
    await expect(h.wait(10_000)).resolves.toBe('closed');
  });
});
