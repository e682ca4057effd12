import 'reflect-metadata';
import { ExchangeRole, OPERATION_EVENTS_PATTERN, TRACKER_RPC_PATTERN } from '@asyncops/contracts';
import { startServiceTransport } from '@asyncops/messaging';
import { migrate } from '@asyncops/persistence';
import { loadConfig, runService } from '@asyncops/platform';
import { TrackerModule } from './app.module';
import { TRACKER_SCHEMA, TrackerConfig } from './config';
import { trackerDataSourceOptions } from './database';

void runService<TrackerConfig>({
  name: 'tracker',
  loadConfig: () => loadConfig('tracker', TrackerConfig),
  migrate: (config) => migrate(trackerDataSourceOptions(config)),
  module: (config, logger) => TrackerModule.forRoot(config, logger),
  configure: async (app, config, logger) => {
    await startServiceTransport(app, {
      schema: TRACKER_SCHEMA,
      log: logger.child('AmqpTransport'),
      consumers: [
        {
          // Wildcards, not the known keys: a message the tracker cannot handle must reach it to be
          // dead-lettered with a reason rather than vanish unrouted.
          queue: { name: 'tracker.events', bindings: [{ exchange: ExchangeRole.Events, pattern: OPERATION_EVENTS_PATTERN }] },
          concurrency: config.CONSUMER_CONCURRENCY,
        },
        {
          queue: { name: 'tracker.rpc', bindings: [{ exchange: ExchangeRole.Commands, pattern: TRACKER_RPC_PATTERN }] },
          concurrency: config.CONSUMER_CONCURRENCY,
        },
      ],
    });
  },
});
