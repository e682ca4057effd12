import { Injectable } from '@nestjs/common';
import {
  CancelOperationRequest,
  CreateOperationRequest,
  ItemFailureView,
  ListItemFailuresRequest,
  ListOperationsRequest,
  OperationView,
  Page,
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

  /** Without a client-given correlationIdentifier, the request id is the one: it is what the client can quote. */
  createOperation(request: CreateOperationRequest): Promise<OperationView> {
    const correlationIdentifier = request.correlationIdentifier ?? request.requestId ?? undefined;
    return this.rpc.call(TrackerRpc.CreateOperation, correlationIdentifier === undefined ? request : { ...request, correlationIdentifier });
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
