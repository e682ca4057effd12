import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Min } from 'class-validator';
import { OPERATION_JOB_TYPES, STEP_NAME_PATTERN } from '@asyncops/contracts';

/**
 * An operation registered by an external producer, which then reports its progress through the
 * broker. The limits mirror the tracker's contract so mistakes are named here, field by field.
 */
export class CreateOperationDto {
  @ApiProperty({ enum: OPERATION_JOB_TYPES, example: 'PlaceOrder' })
  @IsIn(OPERATION_JOB_TYPES)
  jobType!: string;

  @ApiPropertyOptional({ example: 'Validation', pattern: STEP_NAME_PATTERN.source })
  @IsOptional()
  @Matches(STEP_NAME_PATTERN, { message: 'stepName must start with a letter and contain only letters, digits, _ . - (max 80)' })
  stepName?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, description: 'Your own id for the work, to find it again.' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  correlationIdentifier?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  parentOperationId?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  referenceEntityId?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 40, example: 'Order' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  referenceEntityType?: string;

  @ApiPropertyOptional({ minimum: 0, type: 'integer' })
  @IsOptional()
  @IsInt()
  @Min(0)
  totalJobItems?: number;

  @ApiPropertyOptional({ format: 'date-time', example: '2030-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}
