import type { DataSource } from 'typeorm';
import { OperationEvents } from '@asyncops/contracts';
import { cached, outboxDepth, outboxLag, outboxRelayBatchSize, recordItemsProgressed } from '@asyncops/platform';

/**
 * Reports the outbox's depth and lag (age of the oldest unpublished row) when Prometheus
 * scrapes, at most one query per 5 s. Returns the function that stops reporting.
 */
export function observeOutbox(dataSource: DataSource, schema: string): () => void {
  const read = cached(5000, async () => {
    const [row] = (await dataSource.query(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM "${schema}"."outbox" LIMIT 100000) AS o)::int AS depth,
              -- Lag is how long the oldest row due has waited: a row held back is not late before its time.
              COALESCE((SELECT extract(epoch FROM now() - COALESCE("publish_after", "created_at")) FROM "${schema}"."outbox"
                         WHERE "publish_after" IS NULL OR "publish_after" <= now() ORDER BY "id" LIMIT 1), 0)::float8 AS lag`,
    )) as Array<{ depth: number; lag: number }>;
    return row;
  });
  const removeDepth = outboxDepth.add(async () => (dataSource.isInitialized ? [{ labels: { schema }, value: Number((await read()).depth) }] : []));
  const removeLag = outboxLag.add(async () => (dataSource.isInitialized ? [{ labels: { schema }, value: Math.max(0, Number((await read()).lag)) }] : []));
  return () => {
    removeDepth();
    removeLag();
  };
}

/** Counts a relayed batch and the items its committed progress events report. */
export function recordRelayedBatch(schema: string, rows: Array<{ routing_key: string; payload: unknown }>): void {
  outboxRelayBatchSize.observe({ schema }, rows.length);
  for (const r of rows) if (r.routing_key === OperationEvents.ItemsProgressed) recordItemsProgressed(r.payload);
}
