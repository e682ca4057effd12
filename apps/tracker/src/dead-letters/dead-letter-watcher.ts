import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ExchangeRole, Headers } from '@asyncops/contracts';
import { isUuid } from '@asyncops/domain';
import { AmqpConnection, ConfirmedPublisher, IdempotentExecutor, IncomingMessage, OutboxRelay, OutboxWriter, QueueConsumer } from '@asyncops/messaging';
import { JsonLogger } from '@asyncops/platform';
import { TRACKER_SCHEMA, TrackerConfig } from '../config';
import { OperationLifecycle } from '../operations/operation-lifecycle';

export const DEAD_LETTER_WATCH_QUEUE = 'tracker.dead-letter-watch';

/**
 * Reads a copy of every dead-lettered message of every service. When the message names an
 * operation (x-operation-id), that operation ends in Failure with the reason, so a poison
 * message never leaves its operation hanging. The parking queue keeps the original for operators.
 */
@Injectable()
export class DeadLetterWatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: QueueConsumer;
  private readonly executor: IdempotentExecutor;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly publisher: ConfirmedPublisher,
    private readonly lifecycle: OperationLifecycle,
    private readonly relay: OutboxRelay,
    dataSource: DataSource,
    @Inject(TrackerConfig) private readonly config: TrackerConfig,
    @Inject(JsonLogger) private readonly logger: JsonLogger,
  ) {
    this.executor = new IdempotentExecutor(dataSource, TRACKER_SCHEMA);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new QueueConsumer(
      this.connection,
      this.publisher,
      {
        queue: { name: DEAD_LETTER_WATCH_QUEUE, bindings: [{ exchange: ExchangeRole.DeadLetter, pattern: '#' }], deadLetter: false },
        concurrency: 4,
        handle: (m) => this.handle(m),
      },
      this.logger.child(DeadLetterWatcher.name),
    );
    await this.consumer.start();
  }

  private async handle(m: IncomingMessage): Promise<void> {
    const operationId = m.headers[Headers.OperationId];
    if (typeof operationId !== 'string' || !isUuid(operationId)) return;
    const reason = describeDeadLetter(m);
    const dedupeKey = `${m.messageId}@${String(m.headers[Headers.OriginalQueue] ?? deathQueue(m) ?? '')}`;
    const outcome = await this.executor.run(DEAD_LETTER_WATCH_QUEUE, dedupeKey, (manager) =>
      this.lifecycle.failFromDeadLetter(manager, new OutboxWriter(manager, TRACKER_SCHEMA), operationId, reason),
    );
    if (!outcome.duplicate && outcome.result) this.relay.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}

interface XDeath {
  reason?: string;
  queue?: string;
  count?: number;
}

function deathQueue(m: IncomingMessage): string | undefined {
  return (m.headers['x-death'] as XDeath[] | undefined)?.[0]?.queue;
}

/** The handler's own error when the messaging layer dead-lettered it, else the broker's reason. */
export function describeDeadLetter(m: IncomingMessage): string {
  const key = String(m.headers[Headers.OriginalRoutingKey] ?? m.routingKey);
  const lastError = m.headers[Headers.LastError];
  if (typeof lastError === 'string') return `message ${key} could not be processed: ${lastError}`;
  const death = (m.headers['x-death'] as XDeath[] | undefined)?.[0];
  const why = death?.reason === 'delivery_limit' ? 'delivery limit exceeded' : (death?.reason ?? 'rejected');
  return `message ${key} could not be processed: ${why}${death?.queue ? ` on ${death.queue}` : ''}`;
}
