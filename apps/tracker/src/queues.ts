import { ExchangeRole, TRACKER_READ_PATTERN, TRACKER_RPC_PATTERN } from '@asyncops/contracts';
import type { ConsumerSpec } from '@asyncops/messaging';

/** Queue names without the deployment prefix. */
export const TRACKER_EVENTS_QUEUE = 'tracker.events';
export const TRACKER_RPC_QUEUE = 'tracker.rpc';
export const TRACKER_READS_QUEUE = 'tracker.reads';

/** The request/reply calls of every tracker controller share one queue. */
export const TRACKER_RPC_CONSUMER: ConsumerSpec = {
  queue: TRACKER_RPC_QUEUE,
  bindings: [{ exchange: ExchangeRole.Commands, pattern: TRACKER_RPC_PATTERN }],
  requests: true,
};

/** Read-only calls (SOQL pages) on a classic queue: no replicated log per request (see QueueSpec.reads). */
export const TRACKER_READS_CONSUMER: ConsumerSpec = {
  queue: TRACKER_READS_QUEUE,
  bindings: [{ exchange: ExchangeRole.Commands, pattern: TRACKER_READ_PATTERN }],
  reads: true,
};
