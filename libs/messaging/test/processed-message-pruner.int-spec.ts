import { ProcessedMessagePruner } from '../src';
import { MessagingEnv, messagingEnv, SCHEMA } from './support';

/** Pruning the inbox on the real PostgreSQL, with two replicas pruning at the same time. */
describe('ProcessedMessagePruner (real database)', () => {
  let env: MessagingEnv;

  beforeAll(async () => {
    env = await messagingEnv('pruner');
  });

  afterAll(async () => {
    await env?.teardown([]);
  });

  it('forgets only ids past the retention, and two replicas pruning together delete each row once', async () => {
    await env.db.query(
      `INSERT INTO "${SCHEMA}"."processed_message" ("consumer", "message_id", "processed_at")
       SELECT 'svc.queue', 'old-' || g, now() - interval '2 hours' FROM generate_series(1, 2500) g
       UNION ALL SELECT 'svc.queue', 'new-' || g, now() - interval '10 minutes' FROM generate_series(1, 300) g`,
    );
    const options = { retentionMs: 3_600_000, intervalMs: 60_000, batchSize: 200 };
    const replicas = [
      new ProcessedMessagePruner(env.dataSource, SCHEMA, env.logger.child('Pruner:a'), options),
      new ProcessedMessagePruner(await env.newDataSource(), SCHEMA, env.logger.child('Pruner:b'), options),
    ];

    const deleted = await Promise.all(replicas.map((p) => p.pruneOnce()));

    expect(deleted[0] + deleted[1]).toBe(2500);
    const rows = await env.db.query<{ kind: string; n: number }>(
      `SELECT split_part("message_id", '-', 1) AS kind, count(*)::int AS n FROM "${SCHEMA}"."processed_message" GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual([{ kind: 'new', n: 300 }]);
    expect(await replicas[0].pruneOnce()).toBe(0);
  });
});
