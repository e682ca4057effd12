import { RpcErrorCode } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';

/**
 * Every error the importer raises on purpose. `code` is stable: it ends up in the tracker's
 * errors[].key and in RPC error replies, and clients branch on it.
 */
export abstract class ImporterError extends Error {
  abstract readonly code: string;
  abstract readonly rpcCode: RpcErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  toRpcError(): RpcError {
    return new RpcError(this.rpcCode, `${this.code}: ${this.message}`);
  }
}

export class UploadNotFoundError extends ImporterError {
  readonly code = 'UPLOAD_NOT_FOUND';
  readonly rpcCode = RpcErrorCode.NotFound;
  constructor(uploadId: string) {
    super(`upload ${uploadId} not found`);
  }
}

export class UploadIncompleteError extends ImporterError {
  readonly code = 'UPLOAD_INCOMPLETE';
  readonly rpcCode = RpcErrorCode.Invalid;
  constructor(uploadId: string, expected: { chunks: number; bytes: number }, stored: { chunks: number; bytes: number }) {
    super(`upload ${uploadId} holds ${stored.chunks} chunk(s) / ${stored.bytes} byte(s), expected ${expected.chunks} / ${expected.bytes}`);
  }
}

export class ActionNotFoundError extends ImporterError {
  readonly code = 'ASYNC_ACTION_NOT_FOUND';
  readonly rpcCode = RpcErrorCode.NotFound;
  constructor(operationId: string) {
    super(`async action ${operationId} not found`);
  }
}

export class CampaignNotFoundError extends ImporterError {
  readonly code = 'CAMPAIGN_NOT_FOUND';
  readonly rpcCode = RpcErrorCode.NotFound;
  constructor(idOrName: string) {
    super(`campaign ${idOrName} not found`);
  }
}

export class ActionConflictError extends ImporterError {
  readonly code = 'ASYNC_ACTION_CONFLICT';
  readonly rpcCode = RpcErrorCode.Conflict;
  constructor(operationId: string) {
    super(`async action ${operationId} already exists with other parameters`);
  }
}

/** The file as a whole cannot be imported; the action ends FAILED with this reason. */
export class FileRejectedError extends ImporterError {
  readonly rpcCode = RpcErrorCode.Invalid;
  constructor(
    readonly code: 'NOT_CSV' | 'EMPTY_FILE' | 'INVALID_CSV' | 'INVALID_HEADER',
    message: string,
  ) {
    super(message);
  }
}

/** A batch failed for a reason outside the file on every delivery; details are in the importer's log. */
export class ImportAbortedError extends ImporterError {
  readonly code = 'IMPORT_ABORTED';
  readonly rpcCode = RpcErrorCode.Internal;
  constructor(batch: number) {
    super(`The import was aborted: batch ${batch} could not be written after repeated attempts.`);
  }
}

/** The code pattern ran out of unused codes before the requested count was generated. */
export class CodeSpaceExhaustedError extends ImporterError {
  readonly code = 'CODE_SPACE_EXHAUSTED';
  readonly rpcCode = RpcErrorCode.Invalid;
}

export type ImportFailure = FileRejectedError | ImportAbortedError | CodeSpaceExhaustedError;

/** Turns domain errors into RPC error replies; anything else stays an internal failure. */
export function asRpcError(e: unknown): unknown {
  return e instanceof ImporterError ? e.toRpcError() : e;
}

export async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw asRpcError(e);
  }
}
