import { createTestDatabase } from './test-database';
import { TestBroker } from './broker';
import { uniquePrefix } from './env';
import { ServiceProcess } from './service-process';

/**
 * Starts an app as a process on a fresh database and broker prefix, and checks that it migrates
 * its own schema, reports health on both probes, and stops gracefully on SIGTERM.
 */
export async function checkBootAndHealth(app: ServiceProcess['app'], schema: string): Promise<void> {
  const db = await createTestDatabase(`boot_${schema}`);
  const prefix = uniquePrefix(`boot-${schema}`);
  const broker = await TestBroker.connect(prefix);
  let service: ServiceProcess | undefined;
  try {
    service = await ServiceProcess.start(app, { DATABASE_URL: db.url, AMQP_PREFIX: prefix });
    const live = await fetch(`${service.url}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { database: { status: 'up' }, broker: { status: 'up' } } });
    const tables = await db.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [schema]);
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['migrations', 'outbox', 'processed_message']));
    await service.stop();
    expect(service.logs.some((l) => l.level === 'error')).toBe(false);
  } finally {
    await service?.stop();
    await broker.deleteTopology([]);
    await broker.close();
    await db.drop();
  }
}
