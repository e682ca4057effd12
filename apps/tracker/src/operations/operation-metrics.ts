import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AmqpConnection, observeQueueDepths } from '@asyncops/messaging';
import { cached, operationIdleSeconds, operationsByStatus } from '@asyncops/platform';
import { TRACKER_SCHEMA } from '../config';
import { TRACKER_EVENT_PARTITIONS, TRACKER_EVENTS_QUEUE } from '../queues';

interface Row {
  status: string;
  job_type: string;
  count: number;
  oldest_idle: number | null;
}

/**
 * Operations by status and job type, and how long the stalest unfinished one has been idle,
 * read when Prometheus scrapes (one grouped query per 15 s at most, whatever the scrape rate);
 * and the depth of the dead-letter queue and the tracker's queues.
 */
@Injectable()
export class OperationMetrics implements OnModuleInit, OnApplicationShutdown {
  private readonly removers: Array<() => void> = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly connection: AmqpConnection,
  ) {}

  onModuleInit(): void {
    const read = cached(15_000, async () =>
      (await this.dataSource.query(
        `SELECT "status", "job_type", count(*)::int AS "count",
                extract(epoch FROM now() - min("updated_at") FILTER (WHERE "finished_at" IS NULL))::float8 AS "oldest_idle"
           FROM "${TRACKER_SCHEMA}"."async_operation" GROUP BY "status", "job_type"`,
      )) as Row[],
    );
    this.removers.push(
      // The operators' dead-letter queue (a growing one is an alert) and the tracker's own queues.
      observeQueueDepths(this.connection, ['dead-letter', { name: TRACKER_EVENTS_QUEUE, partitions: TRACKER_EVENT_PARTITIONS.count }, 'tracker.requests', 'tracker.reads']),
      operationsByStatus.add(async () => (await read()).map((r) => ({ labels: { status: r.status, job_type: r.job_type }, value: Number(r.count) }))),
      operationIdleSeconds.add(async () =>
        (await read())
          .filter((r) => r.oldest_idle !== null)
          .map((r) => ({ labels: { status: r.status, job_type: r.job_type }, value: Math.max(0, Number(r.oldest_idle)) })),
      ),
    );
  }

  onApplicationShutdown(): void {
    this.removers.splice(0).forEach((remove) => remove());
  }
}
