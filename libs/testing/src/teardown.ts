/**
 * Runs teardown work with a deadline: a step that hangs (a process that will not stop, a broker
 * that never answers) fails the suite with its name instead of hanging CI. Every step runs even
 * when an earlier one failed; the first failure is rethrown at the end.
 */
export async function teardownWithin(timeoutMs: number, steps: Array<[name: string, step: () => unknown]>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const failures: string[] = [];
  for (const [name, step] of steps) {
    const left = Math.max(2000, deadline - Date.now());
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(step),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`teardown step "${name}" did not finish within the ${timeoutMs} ms teardown deadline`)), left);
        }),
      ]);
    } catch (e) {
      failures.push((e as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }
  if (failures.length) throw new Error(`teardown failed: ${failures.join('; ')}`);
}
