/** The shapes the native API answers with (see /api/openapi.json). Statuses stay strings. */
export interface Operation {
  id: string;
  asyncOperationNumber: string;
  correlationIdentifier: string | null;
  jobType: string;
  stepName: string | null;
  status: string;
  submittedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  totalJobItems: number | null;
  successfulJobItems: number;
  failedJobItems: number;
  progress: number;
  parentOperationId: string | null;
  childCount: number;
  referenceEntityId: string | null;
  referenceEntityType: string | null;
  producer: string;
  message: string | null;
  errors: Array<{ message: string; details?: string; key?: string }> | null;
  result: Record<string, unknown> | null;
  cancelRequestedAt: string | null;
  updatedAt: string;
  version: number;
}

/** One `operation.changed` event of GET /api/v1/events. */
export interface OperationChange {
  operationId: string;
  jobType: string;
  status: string;
  stepName: string | null;
  progress: number;
  totalJobItems: number | null;
  successfulJobItems: number;
  failedJobItems: number;
  version: number;
  changedAt: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  hasMore: boolean;
}

export interface ItemFailure {
  id: string;
  itemKey: string | null;
  row: number | null;
  reason: string;
  details: Record<string, unknown> | null;
  recordedAt: string;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  operationId: string | null;
  jobType: string | null;
  createdAt: string;
  secretRotatedAt: string | null;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  event: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  lastResponseStatus: number | null;
}
