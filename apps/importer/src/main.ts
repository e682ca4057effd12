import 'reflect-metadata';
import { connectAmqpConsumers } from '@asyncops/messaging';
import { migrate } from '@asyncops/persistence';
import { loadConfig, runService } from '@asyncops/platform';
import { ImporterModule } from './app.module';
import { ImporterConfig } from './config';
import { importerDataSourceOptions } from './database';
import { MemoryGovernor } from './memory/memory-governor';

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
    await connectAmqpConsumers(app, config);
  },
});
