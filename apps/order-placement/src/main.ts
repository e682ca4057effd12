import 'reflect-metadata';
import { connectAmqpConsumers } from '@asyncops/messaging';
import { migrate } from '@asyncops/persistence';
import { loadConfig, runService } from '@asyncops/platform';
import { OrderPlacementModule } from './app.module';
import { OrderPlacementConfig } from './config';
import { orderPlacementDataSourceOptions } from './database';

void runService<OrderPlacementConfig>({
  name: 'order-placement',
  loadConfig: () => loadConfig('order-placement', OrderPlacementConfig),
  migrate: (config) => migrate(orderPlacementDataSourceOptions(config)),
  module: (config, logger) => OrderPlacementModule.forRoot(config, logger),
  configure: (app, config) => connectAmqpConsumers(app, config),
});
