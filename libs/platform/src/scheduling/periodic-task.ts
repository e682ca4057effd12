/**
 * Runs `task` every `intervalMs`, never two passes at once (a slow pass delays the next one instead
 * of piling up), on a timer that does not keep the process alive. `stop()` cancels the next pass and
 * waits for a running one, so shutdown never cuts a pass in half. The task handles its own errors; a
 * rejection that escapes is ignored so one failed pass cannot stop the schedule.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.task()
        .catch(() => undefined)
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
