import { RpcErrorCode } from '@asyncops/contracts';
import { OrderPlacementError } from '../errors';

export class PendingOrderNotFoundError extends OrderPlacementError {
  readonly code = 'PENDING_ORDER_NOT_FOUND';
  readonly rpcCode = RpcErrorCode.NotFound;
  constructor(n: number) {
    super(`pending order summary ${n} not found`);
  }
}

/** The submitted identifier collided with a record that disappeared before it could be named; retrying resolves it. */
export class IngestRaceError extends OrderPlacementError {
  readonly code = 'INGEST_RACE';
  readonly rpcCode = RpcErrorCode.Conflict;
  constructor(identifier: string) {
    super(`ExternalReferenceIdentifier ${identifier} changed state while being submitted; submit it again`);
  }
}

/** Why one pending order cannot become an OrderSummary; recorded on the pending record, which stays. */
export class ConversionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConversionError';
  }
}
