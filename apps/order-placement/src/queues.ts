/** Queue names without the deployment prefix; test suites delete them on teardown. */
export const ORDER_PLACEMENT_RPC_QUEUE = 'order-placement.rpc';
export const ORDER_PLACEMENT_COMMANDS_QUEUE = 'order-placement.commands';
export const PENDING_ORDER_CONVERSION_QUEUE = 'order-placement.conversion';
export const ORDER_PLACEMENT_QUEUES = [ORDER_PLACEMENT_RPC_QUEUE, ORDER_PLACEMENT_COMMANDS_QUEUE, PENDING_ORDER_CONVERSION_QUEUE];
