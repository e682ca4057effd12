export * from './transitions';
export * from './roll-up';
export * from './progress';
export * from './dialects';
export * from './lifecycle';
