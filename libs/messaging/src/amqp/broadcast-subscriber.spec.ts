import { EventEmitter } from 'node:events';
import type { ContextLogger } from '@asyncops/platform';
import { AmqpConnection } from './connection';
import { BroadcastSubscriber } from './broadcast-subscriber';

/** A channel that records its consumer and can be closed as the broker would. */
class FakeChannel extends EventEmitter {
  consumer?: (msg: unknown) => void;
  async assertQueue() {
    return { queue: 'q' };
  }
  bindQueue = async () => undefined;
  prefetch = async () => undefined;
  async consume(_queue: string, fn: (msg: unknown) => void) {
    this.consumer = fn;
  }
  ack = () => undefined;
  async close() {
    this.emit('close');
  }
}

class FakeConnection extends EventEmitter {
  channels: FakeChannel[] = [];
  connected = true;
  topology = { exchange: () => 'events' };
  isConnected() {
    return this.connected;
  }
  async createChannel() {
    const ch = new FakeChannel();
    this.channels.push(ch);
    return ch;
  }
}

const log = { warn: () => undefined } as unknown as ContextLogger;

describe('BroadcastSubscriber hooks', () => {
  it('reports each start of the subscription and each loss, so a consumer can drop what it may have missed', async () => {
    const connection = new FakeConnection();
    const calls: string[] = [];
    const s = new BroadcastSubscriber(connection as unknown as AmqpConnection, ['x'], () => undefined, log, {
      subscribed: () => calls.push('subscribed'),
      lost: () => calls.push('lost'),
    });
    await s.start();
    expect(calls).toEqual(['subscribed']);
    connection.channels[0].emit('close');
    expect(calls).toEqual(['subscribed', 'lost']);
    connection.emit('connected');
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['subscribed', 'lost', 'subscribed']);
    expect(connection.channels).toHaveLength(2);
    await s.stop();
  });

  it('does not report a start for a channel that closed while it was being set up', async () => {
    const connection = new FakeConnection();
    const calls: string[] = [];
    const original = connection.createChannel.bind(connection);
    connection.createChannel = async () => {
      const ch = await original();
      ch.prefetch = async () => {
        ch.emit('close');
        return undefined;
      };
      return ch;
    };
    const s = new BroadcastSubscriber(connection as unknown as AmqpConnection, ['x'], () => undefined, log, {
      subscribed: () => calls.push('subscribed'),
      lost: () => calls.push('lost'),
    });
    await s.start();
    expect(calls).toEqual(['lost']);
    await s.stop();
  });
});
