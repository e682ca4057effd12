import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ExchangeRole, OPERATION_EVENTS_PATTERN, TRACKER_RPC_PATTERN } from '@asyncops/contracts';
import { AmqpConnection, AmqpTransport, ConfirmedPublisher, OutboxRelay } from '@asyncops/messaging';
import { migrate } from '@asyncops/persistence';
import { loadConfig, runService } from '@asyncops/platform';
import { TrackerModule } from './app.module';
import { TRACKER_SCHEMA, TrackerConfig } from './config';
import { trackerDataSourceOptions } from './database';
import { LifecycleBatch } from './operations/lifecycle-batch';

void runService<TrackerConfig>({
  name: 'tracker',
  loadConfig: () => loadConfig('tracker', TrackerConfig),
  migrate: (config) => migrate(trackerDataSourceOptions(config)),
  module: (config, logger) => TrackerModule.forRoot(config, logger),
  configure: async (app, config, logger) => {
    const transport = new AmqpTransport({
      connection: app.get(AmqpConnection),
      publisher: app.get(ConfirmedPublisher),
      log: logger.child('AmqpTransport'),
      persistence: { dataSource: app.get(DataSource), schema: TRACKER_SCHEMA, relay: app.get(OutboxRelay) },
      consumers: [
        {
          // Wildcards, not the known keys: a message the tracker cannot handle must reach it to be
          // dead-lettered with a reason rather than vanish unrouted.
          queue: { name: 'tracker.events', bindings: [{ exchange: ExchangeRole.Events, pattern: OPERATION_EVENTS_PATTERN }] },
          // The prefetch window holds the next batch while one is being applied.
          concurrency: Math.max(config.CONSUMER_CONCURRENCY, 2 * config.LIFECYCLE_BATCH_SIZE),
          batch: { maxMessages: config.LIFECYCLE_BATCH_SIZE, maxWaitMs: config.LIFECYCLE_BATCH_WAIT_MS, handler: app.get(LifecycleBatch) },
        },
        {
          queue: { name: 'tracker.rpc', bindings: [{ exchange: ExchangeRole.Commands, pattern: TRACKER_RPC_PATTERN }], requests: true },
          concurrency: config.CONSUMER_CONCURRENCY,
        },
      ],
    });
    app.connectMicroservice({ strategy: transport });
    await app.startAllMicroservices();
  },
});
