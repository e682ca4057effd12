import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CancelOperationDto {
  @ApiPropertyOptional({ maxLength: 500, description: 'Why the operation is cancelled; recorded on the operation.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
