import { Injectable } from '@nestjs/common';
import {
  CancelOperationRequest,
  CreateOperationRequest,
  ItemFailureView,
  ListItemFailuresRequest,
  ListOperationsRequest,
  OperationView,
  Page,
  PayloadOf,
  RpcResponses,
  RpcRoutingKey,
  TrackerRpc,
} from '@asyncops/contracts';
import { RpcClient, RpcError } from '@asyncops/messaging';
import { GatewayConfig } from '../../config';
import { ServiceUnavailableError } from '../errors/gateway-errors';

/**
 * The tracker's request/reply API as the gateway uses it. RpcErrors (NOT_FOUND, CONFLICT...)
 * pass through for the problem filter to map; anything else means the broker could not be used
 * and becomes a 503, so a broker outage is never reported as a bug.
 */
@Injectable()
export class TrackerClient {
  constructor(
    private readonly rpc: RpcClient,
    private readonly config: GatewayConfig,
  ) {}

  getOperation(ownerId: string, operationId: string): Promise<OperationView> {
    return this.call(TrackerRpc.GetOperation, { ownerId, operationId });
  }

  /** Without a client-given correlationIdentifier, the request id is the one: it is what the client can quote. */
  createOperation(request: CreateOperationRequest): Promise<OperationView> {
    const correlationIdentifier = request.correlationIdentifier ?? request.requestId ?? undefined;
    return this.call(TrackerRpc.CreateOperation, correlationIdentifier === undefined ? request : { ...request, correlationIdentifier });
  }

  listOperations(request: ListOperationsRequest): Promise<Page<OperationView>> {
    return this.call(TrackerRpc.ListOperations, request);
  }

  cancelOperation(request: CancelOperationRequest): Promise<OperationView> {
    return this.call(TrackerRpc.CancelOperation, request);
  }

  listItemFailures(request: ListItemFailuresRequest): Promise<Page<ItemFailureView>> {
    return this.call(TrackerRpc.ListItemFailures, request);
  }

  private async call<K extends RpcRoutingKey>(key: K, payload: PayloadOf<K>): Promise<RpcResponses[K]> {
    try {
      return await this.rpc.request(key, payload, this.config.RPC_TIMEOUT_MS);
    } catch (e) {
      if (e instanceof RpcError) throw e;
      throw new ServiceUnavailableError(this.config.RETRY_AFTER_SECONDS, e);
    }
  }
}
