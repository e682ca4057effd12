import { EntitySchema } from 'typeorm';
import { buildDataSourceOptions, ServiceSchema } from './data-source-options';
import { ResilientPgClient } from './resilient-client';

class Widget {}
class CreateWidgets1700000000000 {}
const service: ServiceSchema = {
  schema: 'importer',
  entities: [Widget, new EntitySchema({ name: 'gadget', columns: { id: { type: Number, primary: true } } })],
  migrations: [CreateWidgets1700000000000],
};
const url = 'postgres://app@db:5432/asyncops';

describe('buildDataSourceOptions', () => {
  const options = buildDataSourceOptions({ DATABASE_URL: url, DATABASE_POOL_SIZE: 7 }, service) as unknown as Record<string, unknown>;

  it('connects to the configured PostgreSQL database', () => {
    expect(options.type).toBe('postgres');
    expect(options.url).toBe(url);
  });

  it("puts everything in the service's own schema", () => {
    expect(options.schema).toBe('importer');
    expect(options.entities).toBe(service.entities);
    expect(options.migrations).toBe(service.migrations);
  });

  it('changes the schema only through migrations, and never runs them implicitly', () => {
    expect(options.synchronize).toBe(false);
    expect(options.migrationsRun).toBe(false);
    expect(options.migrationsTableName).toBe('migrations');
    expect(options.dropSchema).toBeUndefined();
  });

  it('sizes the pool from the settings and names the connection after the service', () => {
    expect(options.extra).toMatchObject({ max: 7, application_name: 'asyncops-importer' });
  });

  it('gives every session a statement timeout, an idle-in-transaction timeout and a connect timeout (30 s, 60 s, 5 s by default)', () => {
    expect(options.extra).toMatchObject({ statement_timeout: 30_000, idle_in_transaction_session_timeout: 60_000, connectionTimeoutMillis: 5_000 });
  });

  it('uses a client that survives a session the server ends', () => {
    expect(options.extra).toMatchObject({ Client: ResilientPgClient });
    const client = new ResilientPgClient({ connectionString: url });
    expect(() => client.emit('error', new Error('terminating connection due to administrator command'))).not.toThrow();
  });

  it('takes the session limits from the settings; 0 turns a limit off', () => {
    const tuned = buildDataSourceOptions(
      { DATABASE_URL: url, DATABASE_STATEMENT_TIMEOUT_MS: 0, DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 15_000, DATABASE_CONNECT_TIMEOUT_MS: 2_000 },
      service,
    ) as unknown as { extra: Record<string, unknown> };
    expect(tuned.extra).toMatchObject({ statement_timeout: 0, idle_in_transaction_session_timeout: 15_000, connectionTimeoutMillis: 2_000 });
  });

  it('uses a pool of 20 when no size is configured', () => {
    const defaults = buildDataSourceOptions({ DATABASE_URL: url }, service) as unknown as { extra: { max: number } };
    expect(defaults.extra.max).toBe(20);
  });

  it('does not log queries', () => {
    expect(options.logging).toBe(false);
  });
});
