import { AsyncLocalStorage } from 'node:async_hooks';

interface CorrelationScope {
  correlationId: string;
}

const scope = new AsyncLocalStorage<CorrelationScope>();

/**
 * Runs fn with a correlation id that every log line and every message published from its async
 * continuation picks up, so one client request can be followed across services without each
 * handler passing the id along by hand. Without an id, fn runs in the caller's scope.
 */
export function runWithCorrelationId<T>(correlationId: string | undefined, fn: () => T): T {
  if (!correlationId) return fn();
  return scope.run({ correlationId }, fn);
}

/** The correlation id of the request or message being handled here, if any. */
export function currentCorrelationId(): string | undefined {
  return scope.getStore()?.correlationId;
}
