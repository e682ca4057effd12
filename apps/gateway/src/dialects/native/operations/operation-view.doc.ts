import { ApiProperty } from '@nestjs/swagger';
import type { ItemFailureView, OperationView } from '@asyncops/contracts';
import { OPERATION_STATUSES } from '@asyncops/domain';
import { PageDoc } from '../../../core/http/paging';

class OperationErrorDoc {
  @ApiProperty()
  message!: string;

  @ApiProperty({ required: false })
  details?: string;

  @ApiProperty({ required: false })
  key?: string;
}

/** OpenAPI description of the tracker's OperationView, which the native API returns unchanged. */
export class OperationViewDoc implements OperationView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '00001042', description: 'Human-friendly auto-number.' })
  asyncOperationNumber!: string;

  @ApiProperty({ type: String, nullable: true })
  correlationIdentifier!: string | null;

  @ApiProperty({ example: 'PlaceOrder' })
  jobType!: string;

  @ApiProperty({ type: String, nullable: true })
  stepName!: string | null;

  @ApiProperty({ enum: OPERATION_STATUSES })
  status!: OperationView['status'];

  @ApiProperty({ format: 'date-time' })
  submittedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  totalJobItems!: number | null;

  @ApiProperty()
  successfulJobItems!: number;

  @ApiProperty()
  failedJobItems!: number;

  @ApiProperty({ minimum: 0, maximum: 100, description: 'Percent complete.' })
  progress!: number;

  @ApiProperty({ type: Number, nullable: true })
  processingTimeMs!: number | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  parentOperationId!: string | null;

  @ApiProperty()
  childCount!: number;

  @ApiProperty({ type: String, nullable: true })
  referenceEntityId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  referenceEntityType!: string | null;

  @ApiProperty({ description: 'The client that owns the operation.' })
  ownerId!: string;

  @ApiProperty({ description: 'The service or client that runs the work.' })
  producer!: string;

  @ApiProperty({ type: String, nullable: true })
  requestId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  message!: string | null;

  @ApiProperty({ type: [OperationErrorDoc], nullable: true })
  errors!: Array<{ message: string; details?: string; key?: string }> | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  result!: Record<string, unknown> | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelRequestedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastViewedDate!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastReferencedDate!: string | null;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ description: 'Increases with every change.' })
  version!: number;
}

export class ItemFailureViewDoc implements ItemFailureView {
  @ApiProperty()
  id!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The item key in its own dialect (voucher code, source id...).' })
  itemKey!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'CSV row number, not counting the header.' })
  row!: number | null;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  details!: Record<string, unknown> | null;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;
}

export class OperationPageDoc extends PageDoc(OperationViewDoc) {}

export class ItemFailurePageDoc extends PageDoc(ItemFailureViewDoc) {}
