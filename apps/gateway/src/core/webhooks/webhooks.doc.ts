import { ApiProperty } from '@nestjs/swagger';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENTS } from '@asyncops/contracts';
import type { WebhookAttemptView, WebhookDeliveryStatus, WebhookDeliveryView, WebhookEvent, WebhookView, WebhookWithSecret } from '@asyncops/contracts';

export class WebhookDoc implements WebhookView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uri' })
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  events!: WebhookEvent[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  operationId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  jobType!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  secretRotatedAt!: string | null;
}

export class WebhookWithSecretDoc extends WebhookDoc implements WebhookWithSecret {
  @ApiProperty({ example: 'whsec_…', description: 'HMAC-SHA256 signing secret; shown only in this response.' })
  secret!: string;
}

export class WebhookListDoc {
  @ApiProperty({ type: [WebhookDoc] })
  data!: WebhookDoc[];
}

class WebhookAttemptDoc implements WebhookAttemptView {
  @ApiProperty()
  attempt!: number;

  @ApiProperty({ format: 'date-time' })
  attemptedAt!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'HTTP status the receiver answered; null when it did not answer.' })
  responseStatus!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'timed out after 10000 ms' })
  error!: string | null;

  @ApiProperty()
  durationMs!: number;
}

export class WebhookDeliveryDoc implements WebhookDeliveryView {
  @ApiProperty({ format: 'uuid', description: 'Also sent as X-Asyncops-Delivery and the body id; deduplicate on it.' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  webhookId!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS })
  event!: WebhookEvent;

  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES })
  status!: WebhookDeliveryStatus;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAttemptAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  lastResponseStatus!: number | null;

  @ApiProperty({ type: [WebhookAttemptDoc] })
  attemptLog!: WebhookAttemptView[];
}

export class WebhookDeliveryListDoc {
  @ApiProperty({ type: [WebhookDeliveryDoc] })
  data!: WebhookDeliveryDoc[];
}
