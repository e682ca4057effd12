import { Injectable } from '@nestjs/common';
import {
  ConversionOutcome,
  DeletePendingOrderResult,
  IngestPendingOrdersRequest,
  IngestPendingOrdersResult,
  PayloadOf,
  PendingOrderRpc,
  PendingOrderView,
  RpcResponses,
  RpcRoutingKey,
} from '@asyncops/contracts';
import { RpcClient, RpcError } from '@asyncops/messaging';
import { GatewayConfig } from '../../../config';
import { ServiceUnavailableError } from '../../../core/errors/gateway-errors';

/** A thousand orders with their payloads take longer to write than a read; they get at least this long. */
const INGEST_TIMEOUT_MS = 60_000;

/** order-placement's PendingOrderSummary RPCs; typed RPC errors pass through, broker failures are 503s. */
@Injectable()
export class PendingOrdersClient {
  constructor(
    private readonly rpc: RpcClient,
    private readonly config: GatewayConfig,
  ) {}

  ingest(request: IngestPendingOrdersRequest): Promise<IngestPendingOrdersResult> {
    return this.call(PendingOrderRpc.Ingest, request, INGEST_TIMEOUT_MS);
  }

  get(ownerId: string, number: number): Promise<PendingOrderView> {
    return this.call(PendingOrderRpc.Get, { ownerId, number });
  }

  delete(ownerId: string, number: number): Promise<DeletePendingOrderResult> {
    return this.call(PendingOrderRpc.Delete, { ownerId, number });
  }

  importNow(ownerId: string, number: number): Promise<ConversionOutcome> {
    return this.call(PendingOrderRpc.Import, { ownerId, number }, INGEST_TIMEOUT_MS);
  }

  private async call<K extends RpcRoutingKey>(key: K, payload: PayloadOf<K>, minTimeoutMs = 0): Promise<RpcResponses[K]> {
    try {
      return await this.rpc.request(key, payload, Math.max(this.config.RPC_TIMEOUT_MS, minTimeoutMs));
    } catch (e) {
      if (e instanceof RpcError) throw e;
      throw new ServiceUnavailableError(this.config.RETRY_AFTER_SECONDS, e);
    }
  }
}
