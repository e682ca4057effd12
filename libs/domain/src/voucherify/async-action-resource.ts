import type { AsyncActionObject, AsyncActionOperationStatus, AsyncActionStatus, AsyncActionType } from './async-action';
import type { AsyncActionResultMap } from './async-action-result';

/** The Voucherify `async_action` resource (seed 001, "Async Action Base" plus `result`). */
export interface AsyncAction<T extends AsyncActionType = AsyncActionType> {
  /** Async action unique id. */
  id: string;
  type: T;
  status: AsyncActionStatus;
  operation_status: AsyncActionOperationStatus;
  /** When the action was scheduled, ISO 8601. */
  created_at: string;
  /** When the action last changed, ISO 8601. */
  updated_at: string;
  /** Id of the request that scheduled the action. */
  request_id: string;
  /** How long processing took, in milliseconds. */
  processing_time: number;
  /** Percentage of the work done, 0 to 100. */
  progress: number;
  object: AsyncActionObject;
  /** Absent until the action has produced a result, which only a finished action has. */
  result?: AsyncActionResultMap[T];
}

/** An async action of any type, discriminated by `type` so narrowing `type` narrows `result`. */
export type AnyAsyncAction = { [T in AsyncActionType]: AsyncAction<T> }[AsyncActionType];
