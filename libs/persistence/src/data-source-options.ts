import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { ResilientPgClient } from './resilient-client';

export interface ServiceSchema {
  /** The PostgreSQL schema the service owns; no other service reads it. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

export interface DatabaseSettings {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE?: number;
  /** Longest a single statement may run before PostgreSQL cancels it (0 = no limit). */
  DATABASE_STATEMENT_TIMEOUT_MS?: number;
  /** Longest a session may sit idle inside an open transaction before PostgreSQL ends it (0 = no limit). */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS?: number;
  /** Longest the pool waits to open a connection (or for a free one) before failing. */
  DATABASE_CONNECT_TIMEOUT_MS?: number;
}

export const DATABASE_SESSION_DEFAULTS = {
  DATABASE_STATEMENT_TIMEOUT_MS: 30_000,
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 60_000,
  DATABASE_CONNECT_TIMEOUT_MS: 5_000,
} as const;

/**
 * The single builder of TypeORM options: the app module and the migration CLI both call it, so
 * they can never disagree on schema, entities or migrations. Schema changes only via migrations.
 */
export function buildDataSourceOptions(db: DatabaseSettings, service: ServiceSchema): DataSourceOptions {
  return {
    type: 'postgres',
    url: db.DATABASE_URL,
    schema: service.schema,
    entities: service.entities,
    migrations: service.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: {
      max: db.DATABASE_POOL_SIZE ?? 20,
      application_name: `asyncops-${service.schema}`,
      // Session limits sent with every connection: a stuck statement or a transaction left open
      // cannot hold locks and connections forever, and an unreachable server fails fast (transient).
      statement_timeout: db.DATABASE_STATEMENT_TIMEOUT_MS ?? DATABASE_SESSION_DEFAULTS.DATABASE_STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: db.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS ?? DATABASE_SESSION_DEFAULTS.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      connectionTimeoutMillis: db.DATABASE_CONNECT_TIMEOUT_MS ?? DATABASE_SESSION_DEFAULTS.DATABASE_CONNECT_TIMEOUT_MS,
      // A session the server ends must never crash the process (see ResilientPgClient).
      Client: ResilientPgClient,
    },
  };
}

/**
 * Runs pending migrations. Replicas starting together queue on an advisory lock so each
 * migration runs once; the bookkeeping table lives in the service's schema, created first.
 */
export async function migrate(options: DataSourceOptions): Promise<string[]> {
  const schema = (options as { schema?: string }).schema ?? 'public';
  // Waiting for another replica's migration lock, or a long migration, must not hit the statement timeout.
  const ds = new DataSource({ ...options, extra: { ...(options.extra ?? {}), max: 1, statement_timeout: 0 } } as DataSourceOptions);
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock(hashtext($1))', [`asyncops-migrations:${schema}`]);
    try {
      await ds.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const ran = await ds.runMigrations({ transaction: 'each' });
      return ran.map((m) => m.name);
    } finally {
      await ds.query('SELECT pg_advisory_unlock(hashtext($1))', [`asyncops-migrations:${schema}`]);
    }
  } finally {
    await ds.destroy();
  }
}
