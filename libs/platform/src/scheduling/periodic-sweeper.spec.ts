import { PeriodicSweeper } from './periodic-sweeper';

class CountingSweeper extends PeriodicSweeper {
  passes = 0;
  readonly logContext = (this.log as unknown as { context?: string }).context;
  finishPass?: () => void;

  constructor() {
    super(100);
  }

  async sweep(): Promise<number> {
    this.passes++;
    await new Promise<void>((r) => (this.finishPass = r));
    return this.passes;
  }
}

describe('PeriodicSweeper', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sweeps only once the application has bootstrapped', async () => {
    const sweeper = new CountingSweeper();
    await jest.advanceTimersByTimeAsync(500);
    expect(sweeper.passes).toBe(0);
    sweeper.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(100);
    expect(sweeper.passes).toBe(1);
    sweeper.finishPass?.();
    await jest.advanceTimersByTimeAsync(100);
    expect(sweeper.passes).toBe(2);
    sweeper.finishPass?.();
    await sweeper.beforeApplicationShutdown();
  });

  it('lets shutdown wait for the pass in progress and starts none after it', async () => {
    const sweeper = new CountingSweeper();
    sweeper.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = sweeper.beforeApplicationShutdown().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    sweeper.finishPass?.();
    await stopping;
    await jest.advanceTimersByTimeAsync(1000);
    expect(sweeper.passes).toBe(1);
  });

  it("logs under the sweeper's own class name", () => {
    expect(new CountingSweeper().logContext).toBe('CountingSweeper');
  });
});
