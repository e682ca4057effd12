import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ExchangeRole, IMPORTER_COMMANDS_PATTERN, IMPORTER_RPC_PATTERN, TrackerEvents } from '@asyncops/contracts';
import { AmqpConnection, AmqpTransport, ConfirmedPublisher, OutboxRelay } from '@asyncops/messaging';
import { migrate } from '@asyncops/persistence';
import { loadConfig, runService } from '@asyncops/platform';
import { ImporterModule } from './app.module';
import { IMPORTER_SCHEMA, ImporterConfig } from './config';
import { importerDataSourceOptions } from './database';
import { MemoryGovernor } from './memory/memory-governor';
import { IMPORTER_CANCELLATIONS_QUEUE, IMPORTER_COMMANDS_QUEUE, IMPORTER_RPC_QUEUE } from './queues';

void runService<ImporterConfig>({
  name: 'importer',
  loadConfig: () => loadConfig('importer', ImporterConfig),
  migrate: (config) => migrate(importerDataSourceOptions(config)),
  module: (config, logger) => ImporterModule.forRoot(config, logger),
  configure: async (app, config, logger) => {
    const memoryLog = logger.child('MemoryGovernor');
    // Its timer is unref'd: it never keeps a stopping process alive.
    new MemoryGovernor({
      targetMb: config.MEMORY_TARGET_MB,
      onCollect: (before, after) => {
        const m = process.memoryUsage();
        const mb = (x: number) => Math.round(x / 1048576);
        memoryLog.debug({ msg: 'full collection', rssBeforeMb: mb(before), rssAfterMb: mb(after), heapTotalMb: mb(m.heapTotal), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external), event: 'memory-collected' });
      },
    }).start();
    const transport = new AmqpTransport({
      connection: app.get(AmqpConnection),
      publisher: app.get(ConfirmedPublisher),
      log: logger.child('AmqpTransport'),
      persistence: { dataSource: app.get(DataSource), schema: IMPORTER_SCHEMA, relay: app.get(OutboxRelay) },
      consumers: [
        {
          queue: { name: IMPORTER_RPC_QUEUE, bindings: [{ exchange: ExchangeRole.Commands, pattern: IMPORTER_RPC_PATTERN }], requests: true },
          concurrency: config.CONSUMER_CONCURRENCY,
        },
        {
          // Batches of one action run one after another (per-operation lanes and the action row
          // lock); different actions run side by side.
          queue: { name: IMPORTER_COMMANDS_QUEUE, bindings: [{ exchange: ExchangeRole.Commands, pattern: IMPORTER_COMMANDS_PATTERN }] },
          concurrency: config.CONSUMER_CONCURRENCY,
        },
        {
          // Its own queue, so a cancel request never waits behind a backlog of batches.
          queue: { name: IMPORTER_CANCELLATIONS_QUEUE, bindings: [{ exchange: ExchangeRole.Events, pattern: TrackerEvents.CancelRequested }] },
          concurrency: 4,
        },
      ],
    });
    app.connectMicroservice({ strategy: transport });
    await app.startAllMicroservices();
  },
});
