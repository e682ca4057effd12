import { ExchangeRole, Headers, TRACKER_READ_PATTERN, TRACKER_RPC_PATTERN } from '@asyncops/contracts';
import type { ConsumerSpec } from '@asyncops/messaging';

/** Queue names without the deployment prefix. */
export const TRACKER_EVENTS_QUEUE = 'tracker.events';

/**
 * Lifecycle events are partitioned by operation (`x-operation-id`, which every publisher sets from
 * the payload's operationId) into this many queues, `tracker.events.p0` … `p15`; each replica takes
 * a disjoint share, so all events of one operation reach one replica. Changing the count re-routes
 * operations in flight: drain the partitions first (README "Scaling the tracker").
 */
export const TRACKER_EVENT_PARTITIONS = { count: 16, hashHeader: Headers.OperationId };
export const TRACKER_RPC_QUEUE = 'tracker.requests';
/** The quorum queue of request/reply calls before they moved to a classic queue: drained, then deleted. */
export const TRACKER_RETIRED_RPC_QUEUE = 'tracker.rpc';
export const TRACKER_READS_QUEUE = 'tracker.reads';

/**
 * The request/reply calls of every tracker controller share one classic queue: no replicated log
 * per request (see QueueSpec.classic); each changing call is idempotent by message id.
 */
export const TRACKER_RPC_CONSUMER: ConsumerSpec = {
  queue: TRACKER_RPC_QUEUE,
  bindings: [{ exchange: ExchangeRole.Commands, pattern: TRACKER_RPC_PATTERN }],
  requests: true,
  classic: true,
  replaces: TRACKER_RETIRED_RPC_QUEUE,
};

/** Read-only calls (SOQL pages) on a classic queue: no replicated log per request (see QueueSpec.reads). */
export const TRACKER_READS_CONSUMER: ConsumerSpec = {
  queue: TRACKER_READS_QUEUE,
  bindings: [{ exchange: ExchangeRole.Commands, pattern: TRACKER_READ_PATTERN }],
  reads: true,
};
