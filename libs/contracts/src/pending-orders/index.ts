export * from './pending-order-payload';
export * from './pending-orders';
export * from './pending-order-input';
export * from './pending-order-query';
