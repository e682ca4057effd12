import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BaseConfig, Hint } from '@asyncops/platform';

export const TRACKER_SCHEMA = 'tracker';

export class TrackerConfig extends BaseConfig {
  override PORT = 3001;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  @Hint('Days an operation is kept after submission before the sweeper deletes it (sets ExpiresAt)')
  OPERATION_RETENTION_DAYS = 30;

  @Type(() => Number)
  @IsInt()
  @Min(15)
  @Max(3650)
  @Hint('Days a deleted operation stays in the deleted feed; at least the 15 days Salesforce promises')
  TOMBSTONE_RETENTION_DAYS = 30;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  SWEEP_INTERVAL_MS = 60_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  PROCESSED_MESSAGE_RETENTION_DAYS = 7;
}
