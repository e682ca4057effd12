import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class GetOrderQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 5000, default: 1000, description: 'Major items and coupons per page (each with its minor items).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5000)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'nextAfter of the previous page.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;
}
