import { Injectable } from '@nestjs/common';
import {
  DeletedOperationsResponse,
  DeleteOperationResponse,
  DeleteOperationsResponse,
  ReplicationWindowRequest,
  SalesforceTrackerRpc,
  SoqlQueryRequest,
  SoqlQueryResponse,
  UpdatedOperationsResponse,
} from '@asyncops/contracts';
import { GatewayRpc } from '../../core/errors/gateway-rpc';

/** The tracker's Salesforce-surface RPCs; broker failures become 503s, RpcErrors pass through. */
@Injectable()
export class SalesforceTrackerClient {
  constructor(private readonly rpc: GatewayRpc) {}

  query(request: SoqlQueryRequest): Promise<SoqlQueryResponse> {
    return this.rpc.call(SalesforceTrackerRpc.SoqlQuery, request);
  }

  delete(ownerId: string, asyncOperationNumber: number): Promise<DeleteOperationResponse> {
    return this.rpc.call(SalesforceTrackerRpc.DeleteOperation, { ownerId, asyncOperationNumber });
  }

  updated(request: ReplicationWindowRequest): Promise<UpdatedOperationsResponse> {
    return this.rpc.call(SalesforceTrackerRpc.UpdatedOperations, request);
  }

  deleteMany(ownerId: string, asyncOperationNumbers: number[], allOrNone: boolean): Promise<DeleteOperationsResponse> {
    return this.rpc.call(SalesforceTrackerRpc.DeleteOperations, { ownerId, asyncOperationNumbers, allOrNone });
  }

  /** The numbers among these that were deleted (a tombstone is kept). */
  async tombstones(ownerId: string, asyncOperationNumbers: number[]): Promise<Set<number>> {
    if (!asyncOperationNumbers.length) return new Set();
    return new Set((await this.rpc.call(SalesforceTrackerRpc.FindTombstones, { ownerId, asyncOperationNumbers })).deleted);
  }

  deleted(request: ReplicationWindowRequest): Promise<DeletedOperationsResponse> {
    return this.rpc.call(SalesforceTrackerRpc.DeletedOperations, request);
  }
}
