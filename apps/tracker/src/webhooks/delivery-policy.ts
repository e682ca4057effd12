import type { WebhookEvent } from '@asyncops/contracts';
import { isTerminalStatus } from '@asyncops/domain';

/**
 * The webhook events a change matches, most specific first (the first one a webhook subscribes to
 * names its delivery). Only the change that ends an operation is `finished`/`failed`; a late count
 * correction after the end is reported as `progress`, so "finished" fires once per operation.
 */
export function webhookEventsFor(status: string, previousStatus: string | null): WebhookEvent[] {
  if (!isTerminalStatus(status) || (previousStatus !== null && isTerminalStatus(previousStatus))) return ['progress'];
  return status === 'Failure' ? ['failed', 'finished'] : ['finished'];
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * After failed attempt `attempt` (1-based): the delay before the next one, doubling from the base
 * and capped, or null when the delivery is out of attempts and goes dead.
 */
export function nextRetryDelayMs(attempt: number, policy: RetryPolicy): number | null {
  if (attempt >= policy.maxAttempts) return null;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}
