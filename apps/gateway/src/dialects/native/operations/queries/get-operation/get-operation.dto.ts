import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

export class GetOperationQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Long-poll: if the operation is unfinished, wait up to this many seconds for it to finish (capped by the server, 60 s by default).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  wait?: number;
}
