import { types as pgTypes, type CustomTypesConfig, type Pool, type PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/** Runs one statement and answers its rows as arrays, in the order of the SELECT list. */
export type ArrayQuery = (sql: string, values: unknown[]) => Promise<unknown[][]>;

const OID = { int8: 20, int2: 21, int4: 23, text: 25, float4: 700, float8: 701, bpchar: 1042, varchar: 1043, timestamptz: 1184, numeric: 1700, uuid: 2950 } as const;

/** Types whose PostgreSQL text the reader takes as it is: numbers as decimal text, never through a JS number here. */
const AS_TEXT: ReadonlySet<number> = new Set([OID.int8, OID.int2, OID.int4, OID.text, OID.float4, OID.float8, OID.bpchar, OID.varchar, OID.numeric, OID.uuid]);

const identity = (text: string) => text;

/**
 * A `timestamptz` in the session's output (`2024-01-31 12:34:56.789+00` when the session's time
 * zone is UTC) as the canonical UTC ISO string `Date#toISOString` would give: no Date built per cell.
 * Any other shape (another zone, BC, infinity, a year beyond 9999) goes through pg's own parser.
 */
export function timestamptzText(text: string): string | Date | number {
  const n = text.length;
  if (n >= 22 && text[4] === '-' && text[10] === ' ' && text[n - 3] === '+' && text[n - 2] === '0' && text[n - 1] === '0' && (n === 22 || (n > 23 && text[19] === '.'))) {
    // Milliseconds truncated, as a Date does with microseconds.
    const millis = n === 22 ? '000' : `${text.slice(20, n - 3)}00`.slice(0, 3);
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${millis}Z`;
  }
  return (pgTypes.getTypeParser(OID.timestamptz, 'text') as (t: string) => Date | number)(text);
}

/**
 * Cells as text (numbers as decimal strings), `timestamptz` as UTC ISO strings, any other type
 * as pg parses it: reading rows costs no Date or BigInt per cell, and callers convert once.
 */
export const TEXT_CELLS: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === 'binary') return pgTypes.getTypeParser(oid, 'binary');
    if (oid === OID.timestamptz) return timestamptzText;
    if (AS_TEXT.has(oid)) return identity;
    return pgTypes.getTypeParser(oid, 'text');
  }) as CustomTypesConfig['getTypeParser'],
};

/**
 * Names for the statements of array reads, by their text: a named statement is parsed once per
 * pooled connection, and after a few runs PostgreSQL keeps a generic plan for it instead of
 * planning every run (a SOQL page's statement, with its window count and snapshot subquery, costs
 * 0.2-0.4 ms to plan and 0.15 ms to run). The texts are built from query shapes, never from values;
 * only the first `limit` texts a process sees are named, so the statements each connection keeps
 * stay bounded whatever shapes clients send; later ones run unnamed, planned each time.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly prefix: string,
    private readonly limit: number,
  ) {}

  /** The statement's name, or undefined once `limit` texts are named. */
  of(sql: string): string | undefined {
    let name = this.names.get(sql);
    if (name === undefined && this.names.size < this.limit) {
      name = `${this.prefix}${this.names.size + 1}`;
      this.names.set(sql, name);
    }
    return name;
  }
}

/** At most this many named statements per pooled connection (each keeps a plan in its backend). */
export const NAMED_ARRAY_STATEMENTS = 100;

const STATEMENTS = new StatementNames('asyncops_array_', NAMED_ARRAY_STATEMENTS);

/** The pg pool behind a TypeORM data source on the postgres driver (for what TypeORM's query runner would only slow down). */
export function driverPool(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('the postgres driver is needed here');
  return pool;
}

/** Array rows on a pool or one of its connections, statements named by their text (see StatementNames). */
export function arrayQueryOn(target: Pool | PoolClient, names: StatementNames = STATEMENTS): ArrayQuery {
  return async (sql, values) => {
    const name = names.of(sql);
    return (await target.query({ ...(name === undefined ? {} : { name }), text: sql, values, rowMode: 'array', types: TEXT_CELLS })).rows as unknown[][];
  };
}

/**
 * Array rows on the manager's own connection: its transaction's when it has one, else a pooled
 * connection, as `manager.query` would choose. Skips TypeORM's query runner and object rows, for
 * read paths that return many rows (SOQL).
 */
export function arrayQuery(manager: EntityManager, names: StatementNames = STATEMENTS): ArrayQuery {
  const inTransaction = (manager.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined)?.databaseConnection;
  return arrayQueryOn(inTransaction ?? driverPool(manager.connection), names);
}
