import 'reflect-metadata';
/*
 * The Salesforce object descriptions, query plans and the record id codec live in @asyncops/soql;
 * they are re-exported here because RPC payloads carry them and most callers import contracts.
 */
export * from '@asyncops/soql';
export * from './common';
export * from './events/operation-lifecycle';
export * from './events/tracker-events';
export * from './rpc/tracker-rpc';
export * from './registry';
export * from './topic-pattern';
export * from './order-placement/order-placement';
export * from './order-placement/zuora-orders';
export * from './order-placement/zuora-reads';
export * from './order-placement/revenue-cloud';
export * from './salesforce/salesforce-rpc';
export * from './salesforce/order-summary.object';
export * from './importer/importer';
export * from './importer/importer-resources';
export * from './pending-orders';
export * from './live';
export * from './validation';
export * from './compiled-check';
