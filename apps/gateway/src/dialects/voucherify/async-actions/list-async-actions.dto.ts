import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';

/** Voucherify's list parameters: `limit` 1–100 (default 10) and `end_date` (created before it). */
export class ListAsyncActionsQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional()
  @IsISO8601({ strict: true })
  end_date?: string;
}
