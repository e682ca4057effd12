import { RpcErrorCode } from '@asyncops/contracts';
import { ServiceError } from '@asyncops/messaging';

export class PendingOrderNotFoundError extends ServiceError {
  constructor(n: number) {
    super('PENDING_ORDER_NOT_FOUND', RpcErrorCode.NotFound, `pending order summary ${n} not found`);
  }
}

/** The submitted identifier collided with a record that disappeared before it could be named; retrying resolves it. */
export class IngestRaceError extends ServiceError {
  constructor(identifier: string) {
    super('INGEST_RACE', RpcErrorCode.Conflict, `ExternalReferenceIdentifier ${identifier} changed state while being submitted; submit it again`);
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
