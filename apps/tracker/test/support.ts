import { randomUUID } from 'node:crypto';
import { createTestDatabase, ServiceProcess, TestBroker, TestDatabase, uniquePrefix, waitFor } from '@asyncops/testing';

export const TRACKER_QUEUES = ['tracker.events', 'tracker.rpc', 'tracker.dead-letter-watch'];

export interface TrackerEnv {
  db: TestDatabase;
  broker: TestBroker;
  prefix: string;
  env: Record<string, string>;
  trackers: ServiceProcess[];
  startTracker(extra?: Record<string, string>): Promise<ServiceProcess>;
  teardown(): Promise<void>;
}

/** A database and broker prefix of the suite's own, and trackers started against them. */
export async function trackerEnv(label: string, extraEnv: Record<string, string> = {}): Promise<TrackerEnv> {
  const db = await createTestDatabase(label);
  const prefix = uniquePrefix(label);
  const broker = await TestBroker.connect(prefix);
  const env = { DATABASE_URL: db.url, AMQP_PREFIX: prefix, AMQP_DELIVERY_LIMIT: '3', SWEEP_INTERVAL_MS: '500', ...extraEnv };
  const trackers: ServiceProcess[] = [];
  return {
    db,
    broker,
    prefix,
    env,
    trackers,
    async startTracker(extra = {}) {
      const t = await ServiceProcess.start('tracker', { ...env, ...extra });
      trackers.push(t);
      return t;
    },
    async teardown() {
      try {
        await Promise.all(trackers.map((t) => t.stop()));
        await broker.deleteTopology(TRACKER_QUEUES);
      } finally {
        await broker.close();
        await db.drop();
      }
    },
  };
}

export const now = () => new Date().toISOString();
export const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

export function submitted(operationId: string, extra: Record<string, unknown> = {}) {
  return { operationId, occurredAt: now(), ownerId: 'client-a', jobType: 'PlaceOrder', producer: 'test-producer', ...extra };
}

export interface OperationRow {
  id: string;
  status: string;
  step_name: string | null;
  successful_job_items: number;
  failed_job_items: number;
  total_job_items: number | null;
  started_at: Date | null;
  finished_at: Date | null;
  message: string | null;
  version: number;
  child_count: number;
}

export async function operation(db: TestDatabase, id: string): Promise<OperationRow | undefined> {
  const [row] = await db.query<OperationRow>('SELECT * FROM tracker.async_operation WHERE id = $1', [id]);
  return row;
}

export async function waitForStatus(db: TestDatabase, id: string, status: string, timeoutMs = 30_000): Promise<OperationRow> {
  return waitFor(`operation ${id} to be ${status}`, async () => {
    const row = await operation(db, id);
    return row?.status === status ? row : undefined;
  }, timeoutMs);
}

export const newId = () => randomUUID();
