import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from './periodic-task';

/**
 * A provider that sweeps every `intervalMs` while the application runs: the first pass once it has
 * bootstrapped, none after shutdown begins, and shutdown waits for a pass in progress.
 */
export abstract class PeriodicSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Where a pass reports what it removed and why it failed, under the sweeper's class name. */
  protected readonly log = new Logger(this.constructor.name);
  private readonly schedule: PeriodicTask;

  protected constructor(intervalMs: number) {
    this.schedule = new PeriodicTask(intervalMs, () => this.sweep());
  }

  /** One full pass; it reports its own failures (a rejection is ignored). */
  abstract sweep(): Promise<unknown>;

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.schedule.stop();
  }
}
