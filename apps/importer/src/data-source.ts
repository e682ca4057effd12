import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@asyncops/platform';
import { ImporterConfig } from './config';
import { importerDataSourceOptions } from './database';

/** For the TypeORM CLI: `typeorm migration:generate -d apps/importer/src/data-source.ts`. */
export default new DataSource(importerDataSourceOptions(loadConfig('importer', ImporterConfig)));
