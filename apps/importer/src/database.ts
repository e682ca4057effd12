import { DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions, DatabaseSettings } from '@asyncops/persistence';
import { IMPORTER_SCHEMA } from './config';
import { CreateMessagingTables1764000000000 } from './migrations/1764000000000-CreateMessagingTables';

export function importerDataSourceOptions(config: DatabaseSettings): DataSourceOptions {
  return buildDataSourceOptions(config, { schema: IMPORTER_SCHEMA, entities: [], migrations: [CreateMessagingTables1764000000000] });
}
