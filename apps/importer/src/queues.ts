/** Queue names without the deployment prefix; test suites delete them on teardown. */
export const IMPORTER_RPC_QUEUE = 'importer.rpc';
export const IMPORTER_COMMANDS_QUEUE = 'importer.commands';
export const IMPORTER_QUEUES = [IMPORTER_RPC_QUEUE, IMPORTER_COMMANDS_QUEUE];
