import { DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions, DatabaseSettings } from '@asyncops/persistence';
import { GATEWAY_MIGRATIONS } from './migrations';

/** The gateway's own schema: request bookkeeping only (idempotency records), never business rows. */
export const GATEWAY_SCHEMA = 'gateway';

export function gatewayDataSourceOptions(config: DatabaseSettings): DataSourceOptions {
  return buildDataSourceOptions(config, { schema: GATEWAY_SCHEMA, entities: [], migrations: GATEWAY_MIGRATIONS });
}
