import { Injectable } from '@nestjs/common';
import {
  DeletedOperationsResponse,
  DeleteOperationResponse,
  DeleteOperationsResponse,
  PayloadOf,
  ReplicationWindowRequest,
  RpcResponses,
  RpcRoutingKey,
  SalesforceTrackerRpc,
  SoqlQueryRequest,
  SoqlQueryResponse,
  UpdatedOperationsResponse,
} from '@asyncops/contracts';
import { RpcClient, RpcError } from '@asyncops/messaging';
import { GatewayConfig } from '../../config';
import { ServiceUnavailableError } from '../../core/errors/gateway-errors';

/** The tracker's Salesforce-surface RPCs; broker failures become 503s, RpcErrors pass through. */
@Injectable()
export class SalesforceTrackerClient {
  constructor(
    private readonly rpc: RpcClient,
    private readonly config: GatewayConfig,
  ) {}

  query(request: SoqlQueryRequest): Promise<SoqlQueryResponse> {
    return this.call(SalesforceTrackerRpc.SoqlQuery, request);
  }

  delete(ownerId: string, asyncOperationNumber: number): Promise<DeleteOperationResponse> {
    return this.call(SalesforceTrackerRpc.DeleteOperation, { ownerId, asyncOperationNumber });
  }

  updated(request: ReplicationWindowRequest): Promise<UpdatedOperationsResponse> {
    return this.call(SalesforceTrackerRpc.UpdatedOperations, request);
  }

  deleteMany(ownerId: string, asyncOperationNumbers: number[], allOrNone: boolean): Promise<DeleteOperationsResponse> {
    return this.call(SalesforceTrackerRpc.DeleteOperations, { ownerId, asyncOperationNumbers, allOrNone });
  }

  /** The numbers among these that were deleted (a tombstone is kept). */
  async tombstones(ownerId: string, asyncOperationNumbers: number[]): Promise<Set<number>> {
    if (!asyncOperationNumbers.length) return new Set();
    return new Set((await this.call(SalesforceTrackerRpc.FindTombstones, { ownerId, asyncOperationNumbers })).deleted);
  }

  deleted(request: ReplicationWindowRequest): Promise<DeletedOperationsResponse> {
    return this.call(SalesforceTrackerRpc.DeletedOperations, request);
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
