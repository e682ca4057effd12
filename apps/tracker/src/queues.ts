import { ExchangeRole, TRACKER_RPC_PATTERN } from '@asyncops/contracts';
import type { ConsumerSpec } from '@asyncops/messaging';

/** Queue names without the deployment prefix. */
export const TRACKER_EVENTS_QUEUE = 'tracker.events';
export const TRACKER_RPC_QUEUE = 'tracker.rpc';

/** The request/reply calls of every tracker controller share one queue. */
export const TRACKER_RPC_CONSUMER: ConsumerSpec = {
  queue: TRACKER_RPC_QUEUE,
  bindings: [{ exchange: ExchangeRole.Commands, pattern: TRACKER_RPC_PATTERN }],
  requests: true,
};
