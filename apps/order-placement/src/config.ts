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
}
