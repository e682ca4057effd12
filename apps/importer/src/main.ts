import 'reflect-metadata';
import { ExchangeRole, IMPORTER_COMMANDS_PATTERN, IMPORTER_RPC_PATTERN } from '@asyncops/contracts';
import { startServiceTransport } from '@asyncops/messaging';
import { migrate } from '@asyncops/persistence';
import { loadConfig, runService } from '@asyncops/platform';
import { ImporterModule } from './app.module';
import { IMPORTER_SCHEMA, ImporterConfig } from './config';
import { importerDataSourceOptions } from './database';
import { IMPORTER_COMMANDS_QUEUE, IMPORTER_RPC_QUEUE } from './queues';

void runService<ImporterConfig>({
  name: 'importer',
  loadConfig: () => loadConfig('importer', ImporterConfig),
  migrate: (config) => migrate(importerDataSourceOptions(config)),
  module: (config, logger) => ImporterModule.forRoot(config, logger),
  configure: async (app, config, logger) => {
    await startServiceTransport(app, {
      schema: IMPORTER_SCHEMA,
      log: logger.child('AmqpTransport'),
      consumers: [
        {
          queue: { name: IMPORTER_RPC_QUEUE, bindings: [{ exchange: ExchangeRole.Commands, pattern: IMPORTER_RPC_PATTERN }] },
          concurrency: config.CONSUMER_CONCURRENCY,
        },
        {
          // Batches of one action run one after another (per-operation lanes and the action row
          // lock); different actions run side by side.
          queue: { name: IMPORTER_COMMANDS_QUEUE, bindings: [{ exchange: ExchangeRole.Commands, pattern: IMPORTER_COMMANDS_PATTERN }] },
          concurrency: config.CONSUMER_CONCURRENCY,
        },
      ],
    });
  },
});
