import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@asyncops/platform';
import { OrderPlacementConfig } from './config';
import { orderPlacementDataSourceOptions } from './database';

/** For the TypeORM CLI: `typeorm migration:generate -d apps/order-placement/src/data-source.ts`. */
export default new DataSource(orderPlacementDataSourceOptions(loadConfig('order-placement', OrderPlacementConfig)));
