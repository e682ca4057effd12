import { createTestDatabase, ServiceProcess, uniquePrefix } from '@asyncops/testing';

/** Start-up refuses bad configuration and unreachable dependencies, saying what to do. */
describe('tracker start-up checks', () => {
  const startFailure = async (env: Record<string, string>) => {
    const s = new ServiceProcess('tracker', { AMQP_PREFIX: uniquePrefix('startup'), ...env }, 0);
    await expect(s.start(30_000)).rejects.toThrow(/exited during start-up/);
    return s.logs.find((l) => l.event === 'startup-failed');
  };

  it('names an invalid variable, the rule and what to set', async () => {
    const line = await startFailure({ DATABASE_URL: 'mysql://nope', AMQP_DELIVERY_LIMIT: '1' });
    expect(line?.code).toBe('CONFIG_INVALID');
    expect(line?.msg).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(line?.msg).toMatch(/Set DATABASE_URL, e\.g\./);
    expect(line?.msg).toMatch(/AMQP_DELIVERY_LIMIT: .*must not be less than 2/);
  });

  it('says which dependency is unreachable, where it looked and how to start it', async () => {
    const db = await startFailure({ DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/asyncops_test_x' });
    expect(db?.code).toBe('DEPENDENCY_UNREACHABLE');
    expect(db?.msg).toMatch(/PostgreSQL is not reachable at 127\.0\.0\.1:1/);
    expect(db?.msg).toMatch(/pg_ctlcluster|docker compose up -d postgres/);
    expect(db?.msg).not.toContain('hunter2');

    const reachable = await createTestDatabase('startup');
    try {
      const broker = await startFailure({ DATABASE_URL: reachable.url, AMQP_URL: 'amqp://guest:guest@127.0.0.1:1' });
      expect(broker?.code).toBe('DEPENDENCY_UNREACHABLE');
      expect(broker?.msg).toMatch(/RabbitMQ is not reachable at 127\.0\.0\.1:1/);
      expect(broker?.msg).toMatch(/rabbitmq-server -detached/);
    } finally {
      await reachable.drop();
    }
  });
});
