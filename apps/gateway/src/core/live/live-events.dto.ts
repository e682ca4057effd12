import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { OPERATION_JOB_TYPES } from '@asyncops/contracts';

export class LiveEventsQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only changes of this operation.' })
  @IsOptional()
  @IsUUID()
  operationId?: string;

  @ApiPropertyOptional({ description: 'Only changes of operations of this job type.' })
  @IsOptional()
  @IsIn(OPERATION_JOB_TYPES)
  jobType?: string;

  @ApiPropertyOptional({ description: 'Resume after this event id, for clients that cannot send the Last-Event-ID header.' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  lastEventId?: string;
}
