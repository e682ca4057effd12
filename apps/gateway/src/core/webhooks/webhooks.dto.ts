import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn } from 'class-validator';
import { MAX_WEBHOOK_URL_LENGTH, WEBHOOK_EVENTS } from '@asyncops/contracts';
import { JobTypeFilter, OperationIdFilter } from '../live/operation-change-filter';
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

  @OperationIdFilter()
  operationId?: string;

  @JobTypeFilter()
  jobType?: string;
}
