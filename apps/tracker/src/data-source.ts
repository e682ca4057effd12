import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@asyncops/platform';
import { TrackerConfig } from './config';
import { trackerDataSourceOptions } from './database';

/** For the TypeORM CLI: `typeorm migration:generate -d apps/tracker/src/data-source.ts`. */
export default new DataSource(trackerDataSourceOptions(loadConfig('tracker', TrackerConfig)));
