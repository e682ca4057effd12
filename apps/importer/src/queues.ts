import { ExchangeRole, IMPORTER_RPC_PATTERN } from '@asyncops/contracts';
import type { ConsumerSpec } from '@asyncops/messaging';

/** Queue names without the deployment prefix; test suites delete them on teardown. */
export const IMPORTER_RPC_QUEUE = 'importer.requests';
/** The quorum queue of request/reply calls before they moved to a classic queue: drained, then deleted. */
export const IMPORTER_RETIRED_RPC_QUEUE = 'importer.rpc';
export const IMPORTER_COMMANDS_QUEUE = 'importer.commands';
/** Cancel requests the tracker publishes on the events exchange (only the importer's own are acted on). */
export const IMPORTER_CANCELLATIONS_QUEUE = 'importer.cancellations';
export const IMPORTER_QUEUES = [IMPORTER_RPC_QUEUE, IMPORTER_RETIRED_RPC_QUEUE, IMPORTER_COMMANDS_QUEUE, IMPORTER_CANCELLATIONS_QUEUE];

/**
 * The request/reply calls of imports and resources share one classic queue: no replicated log per
 * request (see QueueSpec.classic); each changing call is idempotent by message id.
 */
export const IMPORTER_RPC_CONSUMER: ConsumerSpec = {
  queue: IMPORTER_RPC_QUEUE,
  bindings: [{ exchange: ExchangeRole.Commands, pattern: IMPORTER_RPC_PATTERN }],
  requests: true,
  classic: true,
  replaces: IMPORTER_RETIRED_RPC_QUEUE,
};
