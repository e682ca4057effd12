import { Injectable } from '@nestjs/common';
import {
  CancelOperationRequest,
  CreateOperationRequest,
  ItemFailureView,
  ListItemFailuresRequest,
  ListOperationsRequest,
  OperationView,
  Page,
  SubmittedJob,
  TrackerRpc,
} from '@asyncops/contracts';
import { GatewayRpc } from '../errors/gateway-rpc';

/** The tracker's request/reply API as the gateway uses it (errors as GatewayRpc maps them). */
@Injectable()
export class TrackerClient {
  constructor(private readonly rpc: GatewayRpc) {}

  getOperation(ownerId: string, operationId: string): Promise<OperationView> {
    return this.rpc.call(TrackerRpc.GetOperation, { ownerId, operationId });
  }

  /** An external producer's operation (native POST /api/v1/operations). */
  createOperation(request: CreateOperationRequest): Promise<OperationView> {
    return this.rpc.call(TrackerRpc.CreateOperation, request);
  }

  /**
   * Read-your-writes for a job a service accepted: its `operation.submitted` payloads, forwarded
   * as the service returned them; the gateway adds nothing.
   */
  recordSubmitted(job: SubmittedJob): Promise<OperationView> {
    return this.rpc.call(TrackerRpc.RecordSubmitted, job);
  }

  listOperations(request: ListOperationsRequest): Promise<Page<OperationView>> {
    return this.rpc.call(TrackerRpc.ListOperations, request);
  }

  cancelOperation(request: CancelOperationRequest): Promise<OperationView> {
    return this.rpc.call(TrackerRpc.CancelOperation, request);
  }

  listItemFailures(request: ListItemFailuresRequest): Promise<Page<ItemFailureView>> {
    return this.rpc.call(TrackerRpc.ListItemFailures, request);
  }
}
