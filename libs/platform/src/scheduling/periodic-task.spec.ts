import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the task every interval, never two passes at once, and keeps going after a failed pass', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let finish: (() => void) | undefined;
    const task = new PeriodicTask(100, async () => {
      runs++;
      active++;
      maxActive = Math.max(maxActive, active);
      if (runs === 1) await new Promise<void>((r) => (finish = r));
      active--;
      if (runs === 2) throw new Error('database away');
    });
    task.start();
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(1);
    finish?.();
    await jest.advanceTimersByTimeAsync(350);
    expect(runs).toBe(4);
    expect(maxActive).toBe(1);
    await task.stop();
  });

  it('stop() waits for the running pass and starts no other', async () => {
    let finish: (() => void) | undefined;
    let runs = 0;
    let done = false;
    const task = new PeriodicTask(50, async () => {
      runs++;
      await new Promise<void>((r) => (finish = r));
      done = true;
    });
    task.start();
    await jest.advanceTimersByTimeAsync(60);
    const stopping = task.stop();
    let stopped = false;
    void stopping.then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(10);
    expect(stopped).toBe(false);
    finish?.();
    await stopping;
    expect(done).toBe(true);
    await jest.advanceTimersByTimeAsync(500);
    expect(runs).toBe(1);
  });
});
