import { BaseConfig, IntSetting } from '@asyncops/platform';

export const ORDER_PLACEMENT_SCHEMA = 'order_placement';

export class OrderPlacementConfig extends BaseConfig {
  override PORT = 3002;

  @IntSetting(1, 2000, 'Major items and coupons per placement batch; B2B Commerce uses 200 (minor items do not count)')
  PLACEMENT_BATCH_SIZE = 200;
}
