export * from './config/load-config';
export * from './config/base-config';
export * from './logging/json-logger';
export * from './logging/correlation';
export * from './health/health';
export * from './bootstrap/preflight';
export * from './bootstrap/run-service';
export * from './net/target-address';
