import { BaseConfig, IntSetting } from '@asyncops/platform';

/** order-placement's schema; the name lives in libs/soql, which the gateway's SOQL read path shares. */
export { ORDER_PLACEMENT_SCHEMA } from '@asyncops/soql';

export class OrderPlacementConfig extends BaseConfig {
  override PORT = 3002;

  @IntSetting(1, 2000, 'Major items and coupons per placement batch; B2B Commerce uses 200 (minor items do not count)')
  PLACEMENT_BATCH_SIZE = 200;

  @IntSetting(0, 2000, 'A cart of at most this many major items and coupons (and within one batch) is placed in the transaction that accepts it; 0 queues every batch')
  PLACEMENT_INLINE_MAX_ITEMS = 20;

  @IntSetting(0, 100_000, 'Batches of one placement a consumer runs one after another straight after each commit (0: every batch waits for its command to be delivered)')
  PLACEMENT_CHAIN_BATCHES = 1000;

  @IntSetting(100, 600_000, 'How long a chained batch\'s command is held back in the outbox: the delay before another consumer takes the placement over when the chain stops (a crash, a stop)')
  PLACEMENT_CHAIN_HOLD_MS = 2000;
}
