import { RpcErrorCode } from '@asyncops/contracts';
import { ServiceError } from '@asyncops/messaging';

/*
 * Every error the importer raises on purpose is a ServiceError: its `code` ends up in the
 * tracker's errors[].key and in RPC error replies, and clients branch on it.
 */

export class UploadNotFoundError extends ServiceError {
  constructor(uploadId: string) {
    super('UPLOAD_NOT_FOUND', RpcErrorCode.NotFound, `upload ${uploadId} not found`);
  }
}

export class UploadIncompleteError extends ServiceError {
  constructor(uploadId: string, expected: { chunks: number; bytes: number }, stored: { chunks: number; bytes: number }) {
    super('UPLOAD_INCOMPLETE', RpcErrorCode.Invalid, `upload ${uploadId} holds ${stored.chunks} chunk(s) / ${stored.bytes} byte(s), expected ${expected.chunks} / ${expected.bytes}`);
  }
}

export class ActionNotFoundError extends ServiceError {
  constructor(operationId: string) {
    super('ASYNC_ACTION_NOT_FOUND', RpcErrorCode.NotFound, `async action ${operationId} not found`);
  }
}

export class CampaignNotFoundError extends ServiceError {
  constructor(idOrName: string) {
    super('CAMPAIGN_NOT_FOUND', RpcErrorCode.NotFound, `campaign ${idOrName} not found`);
  }
}

export class ActionConflictError extends ServiceError {
  constructor(operationId: string) {
    super('ASYNC_ACTION_CONFLICT', RpcErrorCode.Conflict, `async action ${operationId} already exists with other parameters`);
  }
}

/** The file as a whole cannot be imported; the action ends FAILED with this reason. */
export class FileRejectedError extends ServiceError {
  declare readonly code: 'NOT_CSV' | 'EMPTY_FILE' | 'INVALID_CSV' | 'INVALID_HEADER';
  constructor(code: 'NOT_CSV' | 'EMPTY_FILE' | 'INVALID_CSV' | 'INVALID_HEADER', message: string) {
    super(code, RpcErrorCode.Invalid, message);
  }
}

/** A batch failed for a reason outside the file on every delivery; details are in the importer's log. */
export class ImportAbortedError extends ServiceError {
  constructor(batch: number) {
    super('IMPORT_ABORTED', RpcErrorCode.Internal, `The import was aborted: batch ${batch} could not be written after repeated attempts.`);
  }
}

/** The code pattern ran out of unused codes before the requested count was generated. */
export class CodeSpaceExhaustedError extends ServiceError {
  constructor(message: string) {
    super('CODE_SPACE_EXHAUSTED', RpcErrorCode.Invalid, message);
  }
}

export type ImportFailure = FileRejectedError | ImportAbortedError | CodeSpaceExhaustedError;
