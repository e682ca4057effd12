import { Pool, type PoolConfig } from 'pg';
import { ArrayQuery, arrayQueryOn, NAMED_ARRAY_STATEMENTS, StatementNames } from './array-rows';
import { DATABASE_SESSION_DEFAULTS } from './data-source-options';
import { ResilientPgClient } from './resilient-client';

/** What every session of a read-only pool is opened with: PostgreSQL refuses any write in it. */
export const READ_ONLY_SESSION_OPTION = '-c default_transaction_read_only=on';

export interface ReadOnlyPoolSettings {
  url: string;
  max: number;
  /** Longest a statement may run before PostgreSQL cancels it (0 = no limit). */
  statementTimeoutMs?: number;
  /** Longest the pool waits to open a connection (or for a free one) before failing. */
  connectTimeoutMs?: number;
  applicationName: string;
}

/**
 * pg options for a pool that cannot write: every session starts with
 * `default_transaction_read_only=on`, so an INSERT, UPDATE, DELETE or DDL through it fails with
 * SQLSTATE 25006 whatever the statement. `options` given in the URL are kept and the read-only
 * setting is appended to them: pg lets the URL's `options` replace the config's, so it is taken
 * out of the URL first.
 */
export function readOnlyPoolConfig(settings: ReadOnlyPoolSettings): PoolConfig {
  const url = new URL(settings.url);
  const given = url.searchParams.get('options');
  url.searchParams.delete('options');
  return {
    connectionString: url.toString(),
    options: given ? `${given} ${READ_ONLY_SESSION_OPTION}` : READ_ONLY_SESSION_OPTION,
    max: settings.max,
    application_name: settings.applicationName,
    statement_timeout: settings.statementTimeoutMs ?? DATABASE_SESSION_DEFAULTS.DATABASE_STATEMENT_TIMEOUT_MS,
    connectionTimeoutMillis: settings.connectTimeoutMs ?? DATABASE_SESSION_DEFAULTS.DATABASE_CONNECT_TIMEOUT_MS,
    // A session the server ends must never crash the process (see ResilientPgClient).
    Client: ResilientPgClient,
  };
}

/** A pool whose sessions cannot write (see readOnlyPoolConfig); an idle client's loss is only dropped. */
export function createReadOnlyPool(settings: ReadOnlyPoolSettings): Pool {
  const pool = new Pool(readOnlyPoolConfig(settings));
  pool.on('error', () => undefined);
  return pool;
}

const POOL_STATEMENTS = new StatementNames('asyncops_read_', NAMED_ARRAY_STATEMENTS);

/** Array rows from a read-only pool, one pooled connection per statement, under names of its own (see arrayQueryOn). */
export function poolArrayQuery(pool: Pool, names: StatementNames = POOL_STATEMENTS): ArrayQuery {
  return arrayQueryOn(pool, names);
}
