import 'reflect-metadata';
import { connectAmqpConsumers } from '@asyncops/messaging';
import { migrate } from '@asyncops/persistence';
import { loadConfig, runService } from '@asyncops/platform';
import { TrackerModule } from './app.module';
import { TrackerConfig } from './config';
import { trackerDataSourceOptions } from './database';

void runService<TrackerConfig>({
  name: 'tracker',
  loadConfig: () => loadConfig('tracker', TrackerConfig),
  migrate: (config) => migrate(trackerDataSourceOptions(config)),
  module: (config, logger) => TrackerModule.forRoot(config, logger),
  configure: (app, config) => connectAmqpConsumers(app, config),
});
