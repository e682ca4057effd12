import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { OPERATION_JOB_TYPES, OperationFieldRules, STEP_NAME_MESSAGE, STEP_NAME_PATTERN } from '@asyncops/contracts';

/**
 * An operation registered by an external producer, which then reports its progress through the
 * broker. The limits mirror the tracker's contract so mistakes are named here, field by field.
 */
export class CreateOperationDto {
  @ApiProperty({ enum: OPERATION_JOB_TYPES, example: 'PlaceOrder' })
  @IsIn(OPERATION_JOB_TYPES)
  jobType!: string;

  @ApiPropertyOptional({ example: 'Validation', pattern: STEP_NAME_PATTERN.source })
  @OperationFieldRules.stepName({ message: STEP_NAME_MESSAGE })
  stepName?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, description: 'Your own id for the work, to find it again.' })
  @OperationFieldRules.correlationIdentifier()
  correlationIdentifier?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @OperationFieldRules.parentOperationId()
  parentOperationId?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 64 })
  @OperationFieldRules.referenceEntityId()
  referenceEntityId?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 40, example: 'Order' })
  @OperationFieldRules.referenceEntityType()
  referenceEntityType?: string;

  @ApiPropertyOptional({ minimum: 0, type: 'integer' })
  @OperationFieldRules.totalJobItems()
  totalJobItems?: number;

  @ApiPropertyOptional({ format: 'date-time', example: '2030-01-01T00:00:00Z' })
  @OperationFieldRules.expiresAt()
  expiresAt?: string;
}
