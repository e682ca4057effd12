import { EventEmitter } from 'node:events';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { Headers, RpcErrorCode, TrackerRpc } from '@asyncops/contracts';
import { JsonLogger } from '@asyncops/platform';
import type { AmqpConnection } from '../amqp/connection';
import { BrokerBlockedError } from '../amqp/errors';
import { Topology } from '../amqp/topology';
import { RPC_DEADLINE_HEADER, RpcClient, RpcError } from './rpc-client';

type Confirm = (err: unknown) => void;

/** A broker connection whose confirms and replies the test hands out itself. */
class FakeConnection extends EventEmitter {
  readonly topology = new Topology('t', 5);
  blocked: string | undefined;
  readonly published: Array<{ routingKey: string; props: Options.Publish; confirm: Confirm }> = [];
  onReply?: (msg: ConsumeMessage) => void;

  waitForConnection(): Promise<void> {
    return Promise.resolve();
  }

  async createConfirmChannel(): Promise<ConfirmChannel> {
    const ch = new EventEmitter() as unknown as ConfirmChannel;
    Object.assign(ch, {
      consume: async (_q: string, fn: (msg: ConsumeMessage) => void) => {
        this.onReply = fn;
        return { consumerTag: 'c' };
      },
      publish: (_ex: string, routingKey: string, _content: Buffer, props: Options.Publish, confirm: Confirm) => {
        this.published.push({ routingKey, props, confirm });
        return true;
      },
    });
    return ch;
  }

  reply(correlationId: string, body: unknown): void {
    this.onReply?.({ properties: { correlationId }, content: Buffer.from(JSON.stringify(body)) } as unknown as ConsumeMessage);
  }
}

const logger = new JsonLogger('test', 'error');
const request = { ownerId: 'o', operationId: '0b7e7a34-8f5c-4a52-8d38-44f1d1b6a001' };

function setUp() {
  const conn = new FakeConnection();
  const client = new RpcClient(conn as unknown as AmqpConnection, 'gateway', logger.child('rpc'), 10_000);
  return { conn, client };
}

async function published(conn: FakeConnection, n = 1) {
  for (let i = 0; i < 50 && conn.published.length < n; i++) await new Promise((r) => setImmediate(r));
  return conn.published[n - 1];
}

describe('RpcClient', () => {
  let unhandled: unknown[];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  beforeEach(() => {
    unhandled = [];
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('answers with the reply once it arrives', async () => {
    const { conn, client } = setUp();
    const answer = client.request(TrackerRpc.GetOperation, request, 1000);
    const sent = await published(conn);
    sent.confirm(null);
    conn.reply(sent.props.correlationId as string, { ok: true, data: { id: 'x' } });
    await expect(answer).resolves.toEqual({ id: 'x' });
  });

  it('times out while the confirm is still outstanding, and a late confirm failure is not an unhandled rejection', async () => {
    const { conn, client } = setUp();
    const answer = client.request(TrackerRpc.GetOperation, request, 50);
    const sent = await published(conn);
    await expect(answer).rejects.toMatchObject({ code: RpcErrorCode.Timeout });
    sent.confirm(new Error('nacked'));
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
  });

  it('fails at once with the broker error when the publish is not confirmed', async () => {
    const { conn, client } = setUp();
    const answer = client.request(TrackerRpc.GetOperation, request, 5000);
    (await published(conn)).confirm(new Error('nacked'));
    await expect(answer).rejects.toBeInstanceOf(RpcError);
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
  });

  it('refuses new requests while the broker blocks publishers, and fails waiting ones when the block starts', async () => {
    const { conn, client } = setUp();
    const waiting = client.request(TrackerRpc.GetOperation, request, 10_000);
    await published(conn);
    conn.blocked = 'low on memory';
    conn.emit('blocked', 'low on memory');
    await expect(waiting).rejects.toBeInstanceOf(BrokerBlockedError);
    await expect(client.request(TrackerRpc.GetOperation, request, 10_000)).rejects.toBeInstanceOf(BrokerBlockedError);
    expect(conn.published).toHaveLength(1);
  });

  it('fails requests waiting on a channel the broker no longer reads when the block starts, and opens the channel once connected', async () => {
    const { conn, client } = setUp();
    let opened!: () => void;
    const realOpen = conn.createConfirmChannel.bind(conn);
    // RabbitMQ stops reading a blocked connection: the channel.open is answered only after the alarm.
    conn.createConfirmChannel = () => new Promise<void>((resolve) => (opened = resolve)).then(realOpen);
    const first = client.request(TrackerRpc.GetOperation, request, 10_000);
    const second = client.request(TrackerRpc.GetOperation, request, 10_000);
    await new Promise((r) => setImmediate(r));
    conn.blocked = 'low on memory';
    conn.emit('blocked', 'low on memory');
    await expect(first).rejects.toBeInstanceOf(BrokerBlockedError);
    await expect(second).rejects.toBeInstanceOf(BrokerBlockedError);
    expect(conn.listenerCount('blocked')).toBe(1);
    // Once the alarm clears the channel opens, and the next request uses it.
    conn.blocked = undefined;
    opened();
    const third = client.request(TrackerRpc.GetOperation, request, 10_000);
    const sent = await published(conn);
    sent.confirm(null);
    conn.reply(sent.props.correlationId as string, { ok: true, data: { id: 'x' } });
    await expect(third).resolves.toEqual({ id: 'x' });
    expect(unhandled).toEqual([]);
  });

  it('opens its channel as soon as the broker connection is up', async () => {
    const { conn } = setUp();
    let opens = 0;
    const realOpen = conn.createConfirmChannel.bind(conn);
    conn.createConfirmChannel = () => {
      opens++;
      return realOpen();
    };
    conn.emit('connected');
    await new Promise((r) => setImmediate(r));
    expect(opens).toBe(1);
    expect(conn.onReply).toBeDefined();
  });

  it('sends requests without an operation id header, non-persistent, with expiration and a deadline', async () => {
    const { conn, client } = setUp();
    const before = Date.now();
    void client.request(TrackerRpc.GetOperation, request, 3000).catch(() => undefined);
    const { props } = await published(conn);
    expect(props.headers?.[Headers.OperationId]).toBeUndefined();
    expect(props.persistent).toBe(false);
    expect(props.expiration).toBe('3000');
    expect(props.headers?.[RPC_DEADLINE_HEADER]).toBeGreaterThanOrEqual(before + 3000);
    expect(props.headers?.[RPC_DEADLINE_HEADER]).toBeLessThanOrEqual(Date.now() + 3000);
    client.close();
  });
});
