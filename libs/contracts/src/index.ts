import 'reflect-metadata';
export * from './common';
export * from './events/operation-lifecycle';
export * from './events/tracker-events';
export * from './rpc/tracker-rpc';
export * from './registry';
