import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FieldError } from './gateway-errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details, with the request id and per-field errors as extension members. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
}

export class FieldErrorDoc implements FieldError {
  @ApiProperty({ example: 'jobType', description: 'Dotted path of the offending field; `body` when the body itself is unreadable.' })
  field!: string;

  @ApiProperty({ example: 'isIn', description: 'The rule that failed (class-validator constraint name).' })
  rule!: string;

  @ApiProperty({ example: 'jobType must be one of the following values: ...' })
  message!: string;
}

export class ProblemDoc implements Problem {
  @ApiProperty({ example: 'urn:asyncops:problem:validation-failed', description: 'Stable URI naming the kind of problem.' })
  type!: string;

  @ApiProperty({ example: 'Request validation failed' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'Field jobType is invalid.' })
  detail!: string;

  @ApiProperty({ example: '/api/v1/operations', description: 'The path of the request that failed.' })
  instance!: string;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable code; `type` is derived from it.' })
  code!: string;

  @ApiProperty({ example: '0f6c7f0e-4a8e-4c4b-9a59-3f3f0d3c1e2a', description: 'Echoes the X-Request-Id response header.' })
  requestId!: string;

  @ApiPropertyOptional({ type: [FieldErrorDoc], description: 'One entry per failed field rule (validation problems only).' })
  errors?: FieldError[];
}
