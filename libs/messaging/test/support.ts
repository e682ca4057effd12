import { createTestDatabase, TEST_AMQP_URL, TestBroker, TestDatabase, uniquePrefix } from '@asyncops/testing';
import type { ConsumeMessage } from 'amqplib';
import { DataSource } from 'typeorm';
import { ExchangeRole } from '@asyncops/contracts';
import { JsonLogger } from '@asyncops/platform';
import { AmqpConnection, ConfirmedPublisher, createMessagingTables, outboxPublishAfterMigration, Topology } from '../src';

export const SCHEMA = 'msgtest';

/**
 * A throwaway database with the outbox and inbox tables in their own schema, and a broker
 * prefix of the suite's own. Everything it creates is removed by `teardown`.
 */
export interface MessagingEnv {
  db: TestDatabase;
  dataSource: DataSource;
  broker: TestBroker;
  prefix: string;
  logs: Array<Record<string, unknown>>;
  logger: JsonLogger;
  /** A started connection of our own code, closed at teardown. */
  connect(name: string, deliveryLimit?: number): Promise<AmqpConnection>;
  publisher(connection: AmqpConnection, producer: string, timeoutMs?: number): ConfirmedPublisher;
  /** A second pool on the same database, as another replica would have. */
  newDataSource(): Promise<DataSource>;
  /** A queue of the test's own bound to an exchange, recording everything routed to it. */
  probe(name: string, exchange: ExchangeRole, pattern: string): Promise<ConsumeMessage[]>;
  outboxCount(): Promise<number>;
  /** Runs `cleanup` before the env's own teardown (consumers, relays). */
  onTeardown(cleanup: () => Promise<unknown>): void;
  teardown(queues: string[]): Promise<void>;
}

export async function messagingEnv(label: string): Promise<MessagingEnv> {
  const db = await createTestDatabase(`messaging_${label}`);
  const dataSources: DataSource[] = [];
  const connections: AmqpConnection[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];
  const prefix = uniquePrefix(`msg-${label}`);
  const logs: Array<Record<string, unknown>> = [];
  const logger = new JsonLogger('messaging-test', 'debug', (line) => logs.push(JSON.parse(line)));
  let broker: TestBroker | undefined;

  const newDataSource = async () => {
    const ds = new DataSource({ type: 'postgres', url: db.url, schema: SCHEMA, extra: { max: 10 } });
    await ds.initialize();
    dataSources.push(ds);
    return ds;
  };

  const teardown = async (queues: string[]) => {
    try {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
      for (const c of connections) await c.close().catch(() => undefined);
      for (const ds of dataSources) if (ds.isInitialized) await ds.destroy().catch(() => undefined);
    } finally {
      try {
        if (broker) {
          await broker.deleteTopology(queues);
          await broker.close();
        }
      } finally {
        await db.drop();
      }
    }
  };

  try {
    const dataSource = await newDataSource();
    await dataSource.query(`CREATE SCHEMA "${SCHEMA}"`);
    const runner = dataSource.createQueryRunner();
    try {
      await createMessagingTables(runner, SCHEMA);
      await new (outboxPublishAfterMigration('OutboxPublishAfter', SCHEMA))().up(runner);
    } finally {
      await runner.release();
    }
    const testBroker = await TestBroker.connect(prefix);
    broker = testBroker;
    const env: MessagingEnv = {
      db,
      dataSource,
      broker: testBroker,
      prefix,
      logs,
      logger,
      newDataSource,
      async connect(name, deliveryLimit = 5) {
        const c = new AmqpConnection(TEST_AMQP_URL, new Topology(prefix, deliveryLimit), logger.child(`Broker:${name}`), `${prefix}:${name}`);
        connections.push(c);
        await c.start();
        return c;
      },
      publisher: (connection, producer, timeoutMs) => new ConfirmedPublisher(connection, producer, logger.child(`Publisher:${producer}`), timeoutMs),
      async probe(name, exchange, pattern) {
        const ch = await testBroker.connection.createChannel();
        const queue = `${prefix}.${name}`;
        await ch.assertExchange(`${prefix}.${exchange}`, exchange === ExchangeRole.DeadLetter ? 'fanout' : 'topic', { durable: true });
        await ch.assertQueue(queue, { durable: false });
        await ch.bindQueue(queue, `${prefix}.${exchange}`, pattern);
        const received: ConsumeMessage[] = [];
        const { consumerTag } = await ch.consume(queue, (m) => m && received.push(m), { noAck: true });
        cleanups.push(async () => {
          await ch.cancel(consumerTag);
          await ch.close();
        });
        return received;
      },
      async outboxCount() {
        const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${SCHEMA}"."outbox"`);
        return n;
      },
      onTeardown: (cleanup) => cleanups.push(cleanup),
      teardown,
    };
    return env;
  } catch (e) {
    await teardown([]).catch(() => undefined);
    throw e;
  }
}
