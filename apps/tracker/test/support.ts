import { randomUUID } from 'node:crypto';
import { ServiceProcess, startStack, TestBroker, TestDatabase, waitFor } from '@asyncops/testing';


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
export async function trackerEnv(label: string, extraEnv: Record<string, string> = {}, amqpUrl?: string): Promise<TrackerEnv> {
  const stack = await startStack(label, { apps: [], amqpUrl, env: { AMQP_DELIVERY_LIMIT: '3', SWEEP_INTERVAL_MS: '500', ...extraEnv } });
  return {
    db: stack.db,
    broker: stack.broker,
    prefix: stack.prefix,
    env: stack.env,
    trackers: stack.extra,
    startTracker: (extra = {}) => stack.startApp('tracker', extra),
    teardown: () => stack.stop(),
  };
}

/** The enclosing describe block's TrackerEnv (no tracker started), made before its tests and torn down after them. */
export function trackerEnvPerSuite(label: string): () => TrackerEnv {
  let t: TrackerEnv | undefined;
  beforeAll(async () => {
    t = await trackerEnv(label);
  });
  afterAll(() => t?.teardown());
  return () => {
    if (!t) throw new Error(`the ${label} environment did not start`);
    return t;
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
