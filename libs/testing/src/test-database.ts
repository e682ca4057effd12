import { Client } from 'pg';
import { READ_ONLY_URL_OPTION } from './compose';
import { randomSuffix, TEST_PG_SERVER } from './env';

export interface TestDatabase {
  name: string;
  url: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: `${TEST_PG_SERVER}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates a fresh database whose name always contains `test`, and drops it afterwards. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `asyncops_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomSuffix()}`;
  if (!name.includes('test')) throw new Error('refusing to use a database whose name lacks "test"');
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = `${TEST_PG_SERVER}/${name}`;
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    name,
    url,
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    drop: async () => {
      await client.end().catch(() => undefined);
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** `url` with sessions opened read-only (`default_transaction_read_only=on`), as the gateway's READ_DATABASE_URL is deployed. */
export function readOnlyDatabaseUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(READ_ONLY_URL_OPTION)}`;
}
