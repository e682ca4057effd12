import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { JobTypeFilter, OperationIdFilter } from './operation-change-filter';

export class LiveEventsQueryDto {
  @OperationIdFilter()
  operationId?: string;

  @JobTypeFilter()
  jobType?: string;

  @ApiPropertyOptional({ description: 'Resume after this event id, for clients that cannot send the Last-Event-ID header.' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  lastEventId?: string;
}
