import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@asyncops/platform';
import { GatewayConfig } from '../../config';
import { gatewayDataSourceOptions } from './gateway-database';

/** For the TypeORM CLI: `typeorm migration:run -d apps/gateway/src/core/idempotency/data-source.ts`. */
export default new DataSource(gatewayDataSourceOptions(loadConfig('gateway', GatewayConfig)));
