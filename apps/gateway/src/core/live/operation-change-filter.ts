import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { OPERATION_JOB_TYPES, stacked } from '@asyncops/contracts';

/*
 * What a subscriber to operation changes may narrow them to, the same for a live-events stream and
 * a webhook: one operation, or the operations of one job type.
 */

export const OperationIdFilter = (): PropertyDecorator =>
  stacked(ApiPropertyOptional({ format: 'uuid', description: 'Only changes of this operation.' }), IsOptional(), IsUUID());

export const JobTypeFilter = (): PropertyDecorator =>
  stacked(ApiPropertyOptional({ description: 'Only changes of operations of this job type.' }), IsOptional(), IsIn(OPERATION_JOB_TYPES));
