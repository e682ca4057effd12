/** Queue names without the deployment prefix; test suites delete them on teardown. */
export const ORDER_PLACEMENT_RPC_QUEUE = 'order-placement.rpc';
export const ORDER_PLACEMENT_COMMANDS_QUEUE = 'order-placement.commands';
export const PENDING_ORDER_CONVERSION_QUEUE = 'order-placement.conversion';
/** Cancel requests the tracker publishes on the events exchange (only order-placement's own are acted on). */
export const ORDER_PLACEMENT_CANCELLATIONS_QUEUE = 'order-placement.cancellations';
export const ORDER_PLACEMENT_QUEUES = [ORDER_PLACEMENT_RPC_QUEUE, ORDER_PLACEMENT_COMMANDS_QUEUE, PENDING_ORDER_CONVERSION_QUEUE, ORDER_PLACEMENT_CANCELLATIONS_QUEUE];
