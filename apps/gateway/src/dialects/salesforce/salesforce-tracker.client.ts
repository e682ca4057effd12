import { Injectable, Optional } from '@nestjs/common';
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
import { OperationViewCache } from '../../core/tracker/operation-view-cache';

/** The tracker's Salesforce-surface RPCs; broker failures become 503s, RpcErrors pass through. */
@Injectable()
export class SalesforceTrackerClient {
  constructor(
    private readonly rpc: GatewayRpc,
    @Optional() private readonly views?: OperationViewCache,
  ) {}

  query(request: SoqlQueryRequest): Promise<SoqlQueryResponse> {
    return this.rpc.call(SalesforceTrackerRpc.SoqlQuery, request);
  }

  // A deleted record must not be served by this process's status reads before the tracker's deletion notice arrives.
  async delete(ownerId: string, asyncOperationNumber: number): Promise<DeleteOperationResponse> {
    try {
      return await this.rpc.call(SalesforceTrackerRpc.DeleteOperation, { ownerId, asyncOperationNumber });
    } finally {
      this.views?.deletedNumbers(ownerId, [asyncOperationNumber]);
    }
  }

  updated(request: ReplicationWindowRequest): Promise<UpdatedOperationsResponse> {
    return this.rpc.call(SalesforceTrackerRpc.UpdatedOperations, request);
  }

  async deleteMany(ownerId: string, asyncOperationNumbers: number[], allOrNone: boolean): Promise<DeleteOperationsResponse> {
    try {
      return await this.rpc.call(SalesforceTrackerRpc.DeleteOperations, { ownerId, asyncOperationNumbers, allOrNone });
    } finally {
      this.views?.deletedNumbers(ownerId, asyncOperationNumbers);
    }
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
