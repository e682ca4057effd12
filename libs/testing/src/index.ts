export * from './env';
export * from './test-database';
export * from './broker';
export * from './service-process';
export * from './compose';
export * from './boot-check';
export * from './private-postgres';
