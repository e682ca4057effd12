import type { ConfirmChannel, Options } from 'amqplib';
import { ExchangeRole, Headers } from '@asyncops/contracts';
import { JsonLogger, runWithCorrelationId } from '@asyncops/platform';
import { AmqpConnection } from './connection';
import { ConfirmedPublisher, messageProperties, OutgoingMessage } from './publisher';
import { Topology } from './topology';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const message = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  exchange: ExchangeRole.Events,
  routingKey: 'operation.started',
  body: { operationId: 'op-1', occurredAt: '2024-01-01T00:00:00Z' },
  ...over,
});

describe('messageProperties', () => {
  it('carries the correlation id of the request or message being handled, unless one is set', async () => {
    expect(messageProperties(message(), 'gateway').headers?.[Headers.CorrelationId]).toBeUndefined();
    await runWithCorrelationId('req-42', async () => {
      await Promise.resolve();
      expect(messageProperties(message(), 'gateway').headers?.[Headers.CorrelationId]).toBe('req-42');
      expect(messageProperties(message({ headers: { [Headers.CorrelationId]: 'own' } }), 'gateway').headers?.[Headers.CorrelationId]).toBe('own');
    });
  });

  it('marks the message persistent JSON typed by its routing key, stamped in seconds', () => {
    const before = Math.floor(Date.now() / 1000);
    const props = messageProperties(message(), 'importer');
    expect(props.persistent).toBe(true);
    expect(props.contentType).toBe('application/json');
    expect(props.type).toBe('operation.started');
    expect(props.timestamp).toBeGreaterThanOrEqual(before);
    expect(props.timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('gives every message a fresh UUID as message id unless one is given', () => {
    const a = messageProperties(message(), 'importer').messageId;
    const b = messageProperties(message(), 'importer').messageId;
    expect(a).toMatch(UUID);
    expect(b).toMatch(UUID);
    expect(a).not.toBe(b);
    expect(messageProperties(message({ messageId: 'outbox-row-7' }), 'importer').messageId).toBe('outbox-row-7');
  });

  it('names the producer and copies body.operationId into the x-operation-id header', () => {
    expect(messageProperties(message(), 'importer').headers).toEqual({ [Headers.Producer]: 'importer', [Headers.OperationId]: 'op-1' });
  });

  it('keeps the headers it is given, and an explicit x-operation-id wins over the body', () => {
    const props = messageProperties(message({ headers: { [Headers.OperationId]: 'parent-op', [Headers.CorrelationId]: 'c-1' } }), 'importer');
    expect(props.headers).toEqual({ [Headers.Producer]: 'importer', [Headers.OperationId]: 'parent-op', [Headers.CorrelationId]: 'c-1' });
  });

  it.each([
    ['no operationId', { occurredAt: 'x' }],
    ['a numeric operationId', { operationId: 42 }],
    ['a null body', null],
    ['a string body', 'operationId'],
    ['an undefined body', undefined],
  ])('sets no x-operation-id for %s', (_what, body) => {
    const props = messageProperties(message({ body }), 'gateway');
    expect(props.headers).toEqual({ [Headers.Producer]: 'gateway' });
  });

  it('passes correlation id and reply-to through for request/reply', () => {
    const props = messageProperties(message({ correlationId: 'corr-1', replyTo: 'amq.rabbitmq.reply-to' }), 'gateway');
    expect(props.correlationId).toBe('corr-1');
    expect(props.replyTo).toBe('amq.rabbitmq.reply-to');
    expect(messageProperties(message(), 'gateway').correlationId).toBeUndefined();
  });
});

describe('ConfirmedPublisher', () => {
  type Published = { exchange: string; routingKey: string; content: Buffer; props: Options.Publish };
  const log = new JsonLogger('test', 'error', () => undefined).child('Publisher');

  /** A confirm channel whose broker answers each publish with the next outcome (ack by default). */
  function fakeConnection(outcomes: Array<'ack' | 'nack'> = []) {
    const published: Published[] = [];
    const channel = {
      publish: (exchange: string, routingKey: string, content: Buffer, props: Options.Publish, cb: (err: unknown) => void) => {
        published.push({ exchange, routingKey, content, props });
        const outcome = outcomes.shift() ?? 'ack';
        setImmediate(() => cb(outcome === 'ack' ? null : new Error('nacked')));
        return true;
      },
    } as unknown as ConfirmChannel;
    const connection = { topology: new Topology('shop', 5), getPublishChannel: jest.fn(async () => channel) } as unknown as AmqpConnection;
    return { connection, published };
  }

  it('publishes every message to its prefixed exchange with its properties and JSON body', async () => {
    const { connection, published } = fakeConnection();
    await new ConfirmedPublisher(connection, 'tracker', log).publishMany([
      message({ messageId: 'm-1' }),
      message({ exchange: ExchangeRole.Commands, routingKey: 'work.do', body: { n: 1 }, messageId: 'm-2' }),
    ]);
    expect(published.map((p) => [p.exchange, p.routingKey, JSON.parse(p.content.toString()), p.props.messageId, p.props.headers?.[Headers.Producer]])).toEqual([
      ['shop.events', 'operation.started', message().body, 'm-1', 'tracker'],
      ['shop.commands', 'work.do', { n: 1 }, 'm-2', 'tracker'],
    ]);
  });

  it('does nothing for an empty batch', async () => {
    const { connection, published } = fakeConnection();
    await new ConfirmedPublisher(connection, 'tracker', log).publishMany([]);
    expect(published).toEqual([]);
    expect(connection.getPublishChannel).not.toHaveBeenCalled();
  });

  it('retries a batch the broker did not confirm, with the same message ids', async () => {
    const { connection, published } = fakeConnection(['ack', 'nack']);
    await new ConfirmedPublisher(connection, 'tracker', log).publishMany([message({ messageId: 'a' }), message({ messageId: 'b' })]);
    expect(published.map((p) => p.props.messageId)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('gives up after its timeout when the broker never confirms', async () => {
    const { connection } = fakeConnection(Array(100).fill('nack'));
    await expect(new ConfirmedPublisher(connection, 'tracker', log, 300).publish(message())).rejects.toThrow(/^publish failed after 300 ms: nacked$/);
  });
});
