import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { MAX_WEBHOOK_URL_LENGTH, OPERATION_JOB_TYPES, WEBHOOK_EVENTS } from '@asyncops/contracts';
import { IsWebhookUrl } from './webhook-url';

export class CreateWebhookDto {
  @ApiProperty({ format: 'uri', maxLength: MAX_WEBHOOK_URL_LENGTH, description: 'An absolute http(s) URL that receives signed POSTs.' })
  @IsWebhookUrl()
  url!: string;

  @ApiProperty({
    enum: WEBHOOK_EVENTS,
    isArray: true,
    description: '`progress`: every non-final change; `finished`: the change that ends an operation; `failed`: the one that ends it in Failure.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events!: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Only changes of this operation.' })
  @IsOptional()
  @IsUUID()
  operationId?: string;

  @ApiPropertyOptional({ description: 'Only changes of operations of this job type.' })
  @IsOptional()
  @IsIn(OPERATION_JOB_TYPES)
  jobType?: string;
}
