import { DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions, DatabaseSettings } from '@asyncops/persistence';
import { ORDER_PLACEMENT_SCHEMA } from './config';
import { ORDER_PLACEMENT_MIGRATIONS } from './migrations';

/** No entities: batches move thousands of rows with set-based SQL, which an ORM would only slow down. */
export function orderPlacementDataSourceOptions(config: DatabaseSettings): DataSourceOptions {
  return buildDataSourceOptions(config, { schema: ORDER_PLACEMENT_SCHEMA, entities: [], migrations: ORDER_PLACEMENT_MIGRATIONS });
}
