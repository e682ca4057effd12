import { MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@asyncops/testing';
import { buildDataSourceOptions, migrate } from './data-source-options';

/**
 * Runs against the real PostgreSQL: two replicas starting together must queue on the advisory
 * lock so the migration runs once, and all of it lands in the service's schema.
 */
describe('migrate (real PostgreSQL)', () => {
  const schema = 'svc_test';
  let db: TestDatabase;
  let ups = 0;

  class CreateWidgets1700000000000 implements MigrationInterface {
    name = 'CreateWidgets1700000000000';
    async up(q: QueryRunner): Promise<void> {
      ups++;
      // Long enough that an unlocked second runner would start this migration too.
      await q.query('SELECT pg_sleep(0.5)');
      await q.query(`CREATE TABLE "${schema}"."widget" ("id" int PRIMARY KEY)`);
    }
    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP TABLE "${schema}"."widget"`);
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase('persistence_migrate');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('runs a pending migration once when two replicas migrate at the same time, inside the schema', async () => {
    expect(db.name).toContain('test');
    const options = buildDataSourceOptions({ DATABASE_URL: db.url }, { schema, entities: [], migrations: [CreateWidgets1700000000000] });

    const results = await Promise.all([migrate(options), migrate(options)]);

    expect(ups).toBe(1);
    expect([...results].sort((a, b) => b.length - a.length)).toEqual([['CreateWidgets1700000000000'], []]);

    const tables = await db.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_name IN ('widget', 'migrations') ORDER BY table_name`,
    );
    expect(tables).toEqual([
      { table_schema: schema, table_name: 'migrations' },
      { table_schema: schema, table_name: 'widget' },
    ]);
    const recorded = await db.query<{ name: string }>(`SELECT "name" FROM "${schema}"."migrations"`);
    expect(recorded).toEqual([{ name: 'CreateWidgets1700000000000' }]);

    // A later start finds nothing to do, and the lock was released by both runners.
    expect(await migrate(options)).toEqual([]);
    expect(ups).toBe(1);
    const locks = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    expect(locks).toEqual([{ n: '0' }]);
  });
});
