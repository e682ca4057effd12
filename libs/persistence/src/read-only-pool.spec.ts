import type { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '@asyncops/testing';
import { createReadOnlyPool, poolArrayQuery, READ_ONLY_SESSION_OPTION, readOnlyPoolConfig } from './read-only-pool';
import { StatementNames } from './array-rows';
import { ResilientPgClient } from './resilient-client';

describe('readOnlyPoolConfig', () => {
  it('opens every session read-only, with the statement and connect timeouts and a small pool', () => {
    const config = readOnlyPoolConfig({ url: 'postgres://reader@db:5432/asyncops', max: 3, statementTimeoutMs: 1234, connectTimeoutMs: 567, applicationName: 'reads' });
    expect(config).toMatchObject({ options: READ_ONLY_SESSION_OPTION, max: 3, statement_timeout: 1234, connectionTimeoutMillis: 567, application_name: 'reads', Client: ResilientPgClient });
    expect(config.connectionString).toBe('postgres://reader@db:5432/asyncops');
  });

  it("keeps the URL's own options and adds the read-only one (pg would let the URL's replace it)", () => {
    const config = readOnlyPoolConfig({ url: 'postgres://reader@db:5432/asyncops?options=-c%20search_path%3Dx&sslmode=disable', max: 1, applicationName: 'reads' });
    expect(config.options).toBe(`-c search_path=x ${READ_ONLY_SESSION_OPTION}`);
    expect(config.connectionString).toBe('postgres://reader@db:5432/asyncops?sslmode=disable');
  });
});

/** Against the real PostgreSQL: nothing sent through the pool can change a row or the schema. */
describe('createReadOnlyPool (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('persistence_read_only');
    await db.query('CREATE TABLE widget (id int PRIMARY KEY, name text)');
    await db.query("INSERT INTO widget VALUES (1, 'one')");
    // The URL's own options are kept beside the read-only one.
    pool = createReadOnlyPool({ url: `${db.url}?options=${encodeURIComponent('-c TimeZone=UTC')}`, max: 2, statementTimeoutMs: 300, applicationName: 'read-only-spec' });
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('reads, as arrays of text cells', async () => {
    const run = poolArrayQuery(pool, new StatementNames('spec_read_', 10));
    expect(await run('SELECT id, name FROM widget WHERE id = $1', [1])).toEqual([['1', 'one']]);
    expect(await run('SHOW TimeZone', [])).toEqual([['UTC']]);
  });

  it.each([
    ["INSERT INTO widget VALUES (2, 'two')"],
    ["UPDATE widget SET name = 'changed'"],
    ['DELETE FROM widget'],
    ['CREATE TABLE other (id int)'],
    ['TRUNCATE widget'],
  ])('refuses %s (SQLSTATE 25006, read-only transaction)', async (sql) => {
    await expect(pool.query(sql)).rejects.toMatchObject({ code: '25006' });
    expect(await db.query('SELECT id, name FROM widget')).toEqual([{ id: 1, name: 'one' }]);
  });

  it('cancels a statement past the statement timeout', async () => {
    await expect(pool.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
  });
});
