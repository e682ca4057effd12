export * from './live-events';
export * from './webhooks';
export * from './webhook-signature';
