import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BaseConfig, Hint } from '@asyncops/platform';

export const ORDER_PLACEMENT_SCHEMA = 'order_placement';

export class OrderPlacementConfig extends BaseConfig {
  override PORT = 3002;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2000)
  @Hint('Major items and coupons per placement batch; B2B Commerce uses 200 (minor items do not count)')
  PLACEMENT_BATCH_SIZE = 200;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  @Hint('Days processed message ids are kept for deduplication; longer than any redelivery can take')
  PROCESSED_MESSAGE_RETENTION_DAYS = 7;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  @Hint('Milliseconds between retention sweeps')
  SWEEP_INTERVAL_MS = 60_000;
}
