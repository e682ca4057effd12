import { DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions, DatabaseSettings } from '@asyncops/persistence';
import { IMPORTER_SCHEMA } from './config';
import { IMPORTER_MIGRATIONS } from './migrations';

/** No entities: imports move rows in set-based batches, which an ORM would only slow down. */
export function importerDataSourceOptions(config: DatabaseSettings): DataSourceOptions {
  return buildDataSourceOptions(config, { schema: IMPORTER_SCHEMA, entities: [], migrations: IMPORTER_MIGRATIONS });
}
