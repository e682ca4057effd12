import { RpcErrorCode } from '@asyncops/contracts';
import { ServiceError } from '@asyncops/messaging';

/*
 * The tracker's deliberate errors. Its replies carry the message alone (no code in front): the
 * gateway shows CONFLICT and INVALID_REQUEST messages to clients as they are.
 */

/** Another owner's record is indistinguishable from a missing one. */
export class OperationNotFoundError extends ServiceError {
  constructor(what: string) {
    super('OPERATION_NOT_FOUND', RpcErrorCode.NotFound, `${what} not found`, { codeInReply: false });
  }
}

export class ParentOperationNotFoundError extends ServiceError {
  constructor() {
    super('PARENT_OPERATION_NOT_FOUND', RpcErrorCode.NotFound, 'parentOperationId names no operation of this owner', { codeInReply: false });
  }
}

export class OperationExistsError extends ServiceError {
  constructor(operationId: string) {
    super('OPERATION_EXISTS', RpcErrorCode.Conflict, `operation ${operationId} already exists`, { codeInReply: false });
  }
}

export class OperationFinishedError extends ServiceError {
  constructor(operationId: string, status: string) {
    super('OPERATION_FINISHED', RpcErrorCode.Conflict, `operation ${operationId} has already finished (${status}) and cannot be cancelled`, { codeInReply: false });
  }
}

export class WebhookNotFoundError extends ServiceError {
  constructor(webhookId: string) {
    super('WEBHOOK_NOT_FOUND', RpcErrorCode.NotFound, `webhook ${webhookId} not found`, { codeInReply: false });
  }
}

export class WebhookLimitError extends ServiceError {
  constructor(max: number) {
    super('WEBHOOK_LIMIT', RpcErrorCode.Conflict, `a client may register at most ${max} webhooks; delete one first`, { codeInReply: false });
  }
}

/** A replication window that names more records than Salesforce's getUpdated/getDeleted may return. */
export class ExceededIdLimitError extends ServiceError {
  constructor(max: number, what: 'changed' | 'deleted') {
    super('EXCEEDED_ID_LIMIT', RpcErrorCode.Invalid, `more than ${max} records ${what} in the window`);
  }
}

export class ObjectNotStoredError extends ServiceError {
  constructor(object: string) {
    super('OBJECT_NOT_STORED', RpcErrorCode.Invalid, `plan.object: ${object} is not stored by the tracker`, { codeInReply: false });
  }
}
