import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export const DEFAULT_FAILURES_LIMIT = 100;
export const MAX_FAILURES_LIMIT = 1000;

export class ListItemFailuresQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_FAILURES_LIMIT, default: DEFAULT_FAILURES_LIMIT })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_FAILURES_LIMIT)
  limit: number = DEFAULT_FAILURES_LIMIT;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (`nextCursor`).', maxLength: 40 })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  cursor?: string;
}
