import 'reflect-metadata';
import { migrate } from '@asyncops/persistence';
import { loadConfig, runService } from '@asyncops/platform';
import { ImporterModule } from './app.module';
import { ImporterConfig } from './config';
import { importerDataSourceOptions } from './database';

void runService<ImporterConfig>({
  name: 'importer',
  loadConfig: () => loadConfig('importer', ImporterConfig),
  migrate: (config) => migrate(importerDataSourceOptions(config)),
  module: (config, logger) => ImporterModule.forRoot(config, logger),
});
