import 'reflect-metadata';
import { runTableService } from '@asyncops/messaging';
import { OrderPlacementModule } from './app.module';
import { ORDER_PLACEMENT_SCHEMA, OrderPlacementConfig } from './config';
import { orderPlacementDataSourceOptions } from './database';

void runTableService({
  name: 'order-placement',
  config: OrderPlacementConfig,
  schema: ORDER_PLACEMENT_SCHEMA,
  dataSource: orderPlacementDataSourceOptions,
  module: OrderPlacementModule,
});
