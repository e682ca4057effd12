import { BaseConfig, IntSetting } from '@asyncops/platform';

export const ORDER_PLACEMENT_SCHEMA = 'order_placement';

export class OrderPlacementConfig extends BaseConfig {
  override PORT = 3002;

  @IntSetting(1, 2000, 'Major items and coupons per placement batch; B2B Commerce uses 200 (minor items do not count)')
  PLACEMENT_BATCH_SIZE = 200;

  @IntSetting(0, 2000, 'A cart of at most this many major items and coupons (and within one batch) is placed in the transaction that accepts it; 0 queues every batch')
  PLACEMENT_INLINE_MAX_ITEMS = 20;
}
