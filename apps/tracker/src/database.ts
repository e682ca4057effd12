import { DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions, DatabaseSettings } from '@asyncops/persistence';
import { TRACKER_SCHEMA } from './config';
import { TRACKER_MIGRATIONS } from './migrations';
import { TRACKER_ENTITIES } from './operations';

export function trackerDataSourceOptions(config: DatabaseSettings): DataSourceOptions {
  return buildDataSourceOptions(config, { schema: TRACKER_SCHEMA, entities: TRACKER_ENTITIES, migrations: TRACKER_MIGRATIONS });
}
