import 'reflect-metadata';
import { runTableService } from '@asyncops/messaging';
import { TrackerModule } from './app.module';
import { TRACKER_SCHEMA, TrackerConfig } from './config';
import { trackerDataSourceOptions } from './database';

void runTableService({
  name: 'tracker',
  config: TrackerConfig,
  schema: TRACKER_SCHEMA,
  dataSource: trackerDataSourceOptions,
  module: TrackerModule,
});
