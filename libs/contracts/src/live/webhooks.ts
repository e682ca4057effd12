import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, IsUUID, Length } from 'class-validator';
import { OperationScope } from './live-events';

/**
 * What a webhook can subscribe to: `progress` is every non-final change (status, step, counts),
 * `finished` the change that ends an operation in any terminal status, `failed` the one that ends
 * it in Failure. A change matching several of a webhook's events is delivered once.
 */
export const WEBHOOK_EVENTS = ['progress', 'finished', 'failed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const MAX_WEBHOOKS_PER_OWNER = 50;
export const MAX_WEBHOOK_URL_LENGTH = 2000;

export const WebhookRpc = {
  Create: 'tracker.rpc.create-webhook',
  List: 'tracker.rpc.list-webhooks',
  Delete: 'tracker.rpc.delete-webhook',
  RotateSecret: 'tracker.rpc.rotate-webhook-secret',
  ListDeliveries: 'tracker.rpc.list-webhook-deliveries',
} as const;

export class CreateWebhookRequest {
  @IsString()
  ownerId!: string;

  /** The gateway has already checked the scheme; the tracker only stores it. */
  @IsString()
  @Length(1, MAX_WEBHOOK_URL_LENGTH)
  url!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events!: string[];

  @OperationScope.operationId()
  operationId?: string;

  @OperationScope.jobType()
  jobType?: string;
}

export class OwnerRequest {
  @IsString()
  ownerId!: string;
}

export class WebhookIdRequest {
  @IsString()
  ownerId!: string;

  @IsUUID()
  webhookId!: string;
}

export class ListWebhookDeliveriesRequest {
  @IsString()
  ownerId!: string;

  @IsUUID()
  operationId!: string;
}

export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEvent[];
  operationId: string | null;
  jobType: string | null;
  createdAt: string;
  secretRotatedAt: string | null;
}

/** Returned by create and rotate only: the signing secret is never shown again. */
export interface WebhookWithSecret extends WebhookView {
  secret: string;
}

export interface WebhookList {
  items: WebhookView[];
}

export interface WebhookDeletion {
  deleted: true;
}

export interface WebhookAttemptView {
  attempt: number;
  attemptedAt: string;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDeliveryView {
  id: string;
  webhookId: string;
  event: WebhookEvent;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  lastResponseStatus: number | null;
  attemptLog: WebhookAttemptView[];
}

export interface WebhookDeliveryList {
  items: WebhookDeliveryView[];
}
