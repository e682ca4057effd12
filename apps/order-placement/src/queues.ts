import { ExchangeRole, ORDER_PLACEMENT_COMMANDS_PATTERN, ORDER_PLACEMENT_READ_PATTERN, ORDER_PLACEMENT_RPC_PATTERN } from '@asyncops/contracts';
import type { ConsumerSpec } from '@asyncops/messaging';

/** Queue names without the deployment prefix; test suites delete them on teardown. */
export const ORDER_PLACEMENT_RPC_QUEUE = 'order-placement.requests';
/** The quorum queue of request/reply calls before they moved to a classic queue: drained, then deleted. */
export const ORDER_PLACEMENT_RETIRED_RPC_QUEUE = 'order-placement.rpc';
export const ORDER_PLACEMENT_READS_QUEUE = 'order-placement.reads';
export const ORDER_PLACEMENT_COMMANDS_QUEUE = 'order-placement.commands';
export const PENDING_ORDER_CONVERSION_QUEUE = 'order-placement.conversion';
/** Cancel requests the tracker publishes on the events exchange (only order-placement's own are acted on). */
export const ORDER_PLACEMENT_CANCELLATIONS_QUEUE = 'order-placement.cancellations';
export const ORDER_PLACEMENT_QUEUES = [ORDER_PLACEMENT_RPC_QUEUE, ORDER_PLACEMENT_RETIRED_RPC_QUEUE, ORDER_PLACEMENT_READS_QUEUE, ORDER_PLACEMENT_COMMANDS_QUEUE, PENDING_ORDER_CONVERSION_QUEUE, ORDER_PLACEMENT_CANCELLATIONS_QUEUE];

/**
 * The request/reply calls of every capability share one classic queue: no replicated log per
 * request (see QueueSpec.classic); each changing call is idempotent by message id.
 */
export const ORDER_PLACEMENT_RPC_CONSUMER: ConsumerSpec = {
  queue: ORDER_PLACEMENT_RPC_QUEUE,
  bindings: [{ exchange: ExchangeRole.Commands, pattern: ORDER_PLACEMENT_RPC_PATTERN }],
  requests: true,
  classic: true,
  replaces: ORDER_PLACEMENT_RETIRED_RPC_QUEUE,
};

/** Read-only calls (SOQL pages) on a classic queue: no replicated log per request (see QueueSpec.reads). */
export const ORDER_PLACEMENT_READS_CONSUMER: ConsumerSpec = {
  queue: ORDER_PLACEMENT_READS_QUEUE,
  bindings: [{ exchange: ExchangeRole.Commands, pattern: ORDER_PLACEMENT_READ_PATTERN }],
  reads: true,
};

/**
 * Work commands of every capability. Batches of one order run one after another (the transport's
 * per-operation lanes and the order row lock); different orders run side by side.
 */
export const ORDER_PLACEMENT_COMMANDS_CONSUMER: ConsumerSpec = {
  queue: ORDER_PLACEMENT_COMMANDS_QUEUE,
  bindings: [{ exchange: ExchangeRole.Commands, pattern: ORDER_PLACEMENT_COMMANDS_PATTERN }],
};
