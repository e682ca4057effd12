import { DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions, DatabaseSettings } from '@asyncops/persistence';
import { ORDER_PLACEMENT_SCHEMA } from './config';
import { CreateMessagingTables1764000000000 } from './migrations/1764000000000-CreateMessagingTables';

export function orderPlacementDataSourceOptions(config: DatabaseSettings): DataSourceOptions {
  return buildDataSourceOptions(config, { schema: ORDER_PLACEMENT_SCHEMA, entities: [], migrations: [CreateMessagingTables1764000000000] });
}
