import 'reflect-metadata';
import { runTableService } from '@asyncops/messaging';
import { ImporterModule } from './app.module';
import { IMPORTER_SCHEMA, ImporterConfig } from './config';
import { importerDataSourceOptions } from './database';
import { MemoryGovernor } from './memory/memory-governor';

void runTableService({
  name: 'importer',
  config: ImporterConfig,
  schema: IMPORTER_SCHEMA,
  dataSource: importerDataSourceOptions,
  module: ImporterModule,
  configure: (_app, config, logger) => {
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
  },
});
