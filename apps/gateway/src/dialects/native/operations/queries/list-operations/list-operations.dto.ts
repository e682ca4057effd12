import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, TransformFnParams } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, registerDecorator, ValidationArguments } from 'class-validator';
import { ListOperationsRequest, MAX_LIST_LIMIT, OPERATION_JOB_TYPES, OperationFieldRules, STEP_NAME_MESSAGE } from '@asyncops/contracts';
import { OPERATION_STATUSES } from '@asyncops/domain';
import { PageCursorQuery, PageLimitQuery } from '../../../../../core/http/paging';

export const DEFAULT_LIST_LIMIT = 50;

/** `?status=A,B`, `?status=A&status=B` and mixes of both all mean [A, B]; blanks are dropped. */
export function toList({ value }: TransformFnParams): unknown {
  if (value === undefined || value === null) return undefined;
  const raw: unknown[] = Array.isArray(value) ? value : [value];
  if (!raw.every((v) => typeof v === 'string')) return value;
  const items = (raw as string[]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return items.length ? [...new Set(items)] : undefined;
}

/** A time range the wrong way round can only be a mistake; say so instead of answering nothing. */
function IsNotBefore(other: string): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isNotBefore',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [other],
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const from = (args.object as Record<string, unknown>)[other];
          if (typeof value !== 'string' || typeof from !== 'string') return true;
          const a = Date.parse(from);
          const b = Date.parse(value);
          return Number.isNaN(a) || Number.isNaN(b) || b >= a;
        },
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must not be before ${other}`,
      },
    });
}

export class ListOperationsQueryDto {
  @ApiPropertyOptional({
    enum: OPERATION_STATUSES,
    isArray: true,
    description: 'Only these statuses; comma-separated or repeated.',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(OPERATION_STATUSES.length)
  @IsIn(OPERATION_STATUSES, { each: true })
  status?: string[];

  @ApiPropertyOptional({ enum: OPERATION_JOB_TYPES, isArray: true, description: 'Only these job types; comma-separated or repeated.' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(60)
  @IsIn(OPERATION_JOB_TYPES, { each: true })
  jobType?: string[];

  @ApiPropertyOptional()
  @OperationFieldRules.stepName({ message: STEP_NAME_MESSAGE })
  stepName?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @OperationFieldRules.correlationIdentifier()
  correlationIdentifier?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @OperationFieldRules.parentOperationId()
  parentOperationId?: string;

  @ApiPropertyOptional({ maxLength: 64 })
  @OperationFieldRules.referenceEntityId()
  referenceEntityId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Submitted at or after this instant (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  submittedFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Submitted at or before this instant (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsNotBefore('submittedFrom')
  submittedTo?: string;

  @PageLimitQuery(MAX_LIST_LIMIT, DEFAULT_LIST_LIMIT)
  limit: number = DEFAULT_LIST_LIMIT;

  @PageCursorQuery(200)
  cursor?: string;

  toRequest(ownerId: string): ListOperationsRequest {
    return {
      ownerId,
      status: this.status,
      jobType: this.jobType,
      stepName: this.stepName,
      correlationIdentifier: this.correlationIdentifier,
      parentOperationId: this.parentOperationId,
      referenceEntityId: this.referenceEntityId,
      submittedFrom: this.submittedFrom,
      submittedTo: this.submittedTo,
      limit: this.limit,
      cursor: this.cursor,
    };
  }
}
