import { Injectable } from '@nestjs/common';
import { ConversionOutcome, DeletePendingOrderResult, IngestPendingOrdersRequest, IngestPendingOrdersResult, PendingOrderRpc, PendingOrderView } from '@asyncops/contracts';
import { GatewayRpc } from '../../../core/errors/gateway-rpc';

/** A thousand orders with their payloads take longer to write than a read; they get at least this long. */
const INGEST_TIMEOUT_MS = 60_000;

/** order-placement's PendingOrderSummary RPCs; typed RPC errors pass through, broker failures are 503s. */
@Injectable()
export class PendingOrdersClient {
  constructor(private readonly rpc: GatewayRpc) {}

  ingest(request: IngestPendingOrdersRequest): Promise<IngestPendingOrdersResult> {
    return this.rpc.call(PendingOrderRpc.Ingest, request, { minTimeoutMs: INGEST_TIMEOUT_MS });
  }

  get(ownerId: string, number: number): Promise<PendingOrderView> {
    return this.rpc.call(PendingOrderRpc.Get, { ownerId, number });
  }

  delete(ownerId: string, number: number): Promise<DeletePendingOrderResult> {
    return this.rpc.call(PendingOrderRpc.Delete, { ownerId, number });
  }

  importNow(ownerId: string, number: number): Promise<ConversionOutcome> {
    return this.rpc.call(PendingOrderRpc.Import, { ownerId, number }, { minTimeoutMs: INGEST_TIMEOUT_MS });
  }
}
