export * from './data-source-options';
export * from './postgres-errors';
export * from './database-health';
export * from './resilient-client';
export * from './array-rows';
export * from './read-only-pool';
export * from './inline-parameters';
