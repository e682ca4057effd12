import { killLeftoverProcesses } from './service-process';
import { teardownWithin } from './teardown';

/**
 * Loaded by every integration suite (jest setupFilesAfterEnv): each afterAll of the suite runs
 * with a deadline. A teardown that hangs fails the suite with the step's name, and the processes
 * the harness started are killed so nothing keeps the test run alive.
 */
const TEARDOWN_TIMEOUT_MS = Number(process.env.TEST_TEARDOWN_TIMEOUT_MS ?? 120_000);
const originalAfterAll = globalThis.afterAll;

globalThis.afterAll = ((fn: jest.ProvidesHookCallback, timeout?: number) => {
  // Callback-style hooks (done) keep Jest's own handling.
  if (fn.length > 0) return originalAfterAll(fn, timeout);
  return originalAfterAll(async () => {
    try {
      await teardownWithin(TEARDOWN_TIMEOUT_MS, [['afterAll', () => (fn as () => unknown)()]]);
    } catch (e) {
      const killed = killLeftoverProcesses();
      throw new Error(`${(e as Error).message}${killed ? `; killed ${killed} leftover process(es)` : ''}`);
    }
  }, timeout ?? TEARDOWN_TIMEOUT_MS + 10_000);
}) as typeof afterAll;
