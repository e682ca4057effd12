import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { TrackerConfig } from '../config';
import { OperationEventLog, SEQUENCE_BATCH } from './operation-event-log';

const SEQUENCE_INTERVAL_MS = 1000;

/**
 * Keeps the event log numbered even when no stream is reading (readers number on demand too) and
 * prunes it past retention. Both passes are safe on any number of replicas at once.
 */
@Injectable()
export class EventLogMaintenance implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(EventLogMaintenance.name);
  private sequenceTimer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly events: OperationEventLog,
    @Inject(TrackerConfig) private readonly config: TrackerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.sequenceTimer = setInterval(() => this.once(() => this.sequenceAll()), SEQUENCE_INTERVAL_MS);
    this.pruneTimer = setInterval(() => this.once(() => this.prune()), this.config.SWEEP_INTERVAL_MS);
  }

  private once(task: () => Promise<void>): void {
    if (this.running) return;
    this.running = task()
      .catch((e: Error) => this.log.warn({ msg: 'event log maintenance failed; will retry', error: e.message }))
      .finally(() => (this.running = undefined));
  }

  private async sequenceAll(): Promise<void> {
    while ((await this.events.sequence()) >= SEQUENCE_BATCH);
  }

  private async prune(): Promise<void> {
    let total = 0;
    for (let n = await this.events.prune(this.config.EVENT_LOG_RETENTION_DAYS); n > 0; n = await this.events.prune(this.config.EVENT_LOG_RETENTION_DAYS)) total += n;
    if (total) this.log.log({ msg: 'old live events pruned', count: total, event: 'event-log-pruned' });
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.sequenceTimer);
    clearInterval(this.pruneTimer);
    await this.running;
  }
}
