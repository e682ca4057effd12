export * from './pending-order-payload';
export * from './pending-orders';
export * from './pending-order-input';
