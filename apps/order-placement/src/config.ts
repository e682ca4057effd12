import { BaseConfig } from '@asyncops/platform';

export const ORDER_PLACEMENT_SCHEMA = 'order_placement';

export class OrderPlacementConfig extends BaseConfig {
  override PORT = 3002;
}
