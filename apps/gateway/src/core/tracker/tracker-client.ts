import { Injectable, Optional } from '@nestjs/common';
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
import { OperationViewCache } from './operation-view-cache';

/** The tracker's request/reply API as the gateway uses it (errors as GatewayRpc maps them). */
@Injectable()
export class TrackerClient {
  constructor(
    private readonly rpc: GatewayRpc,
    @Optional() private readonly views?: OperationViewCache,
  ) {}

  /**
   * The owner's operation: from this process's view cache when it holds a current one, else from
   * the tracker, sharing a read of the same owner's operation that is already under way.
   * `atLeastVersion` is the newest change the caller heard of (a woken long-poll): an older view,
   * cached or shared, is not an answer, and the tracker is asked instead.
   */
  async getOperation(ownerId: string, operationId: string, atLeastVersion = 0): Promise<OperationView> {
    const views = this.views;
    if (!views?.enabled) return this.readOperation(ownerId, operationId);
    const cached = this.cachedOperation(ownerId, operationId, atLeastVersion);
    if (cached) return cached;
    const under = atLeastVersion > 0 ? views.sharedRead(ownerId, operationId) : undefined;
    if (under) {
      // Another reader's read may have started before the caller heard of the change; the
      // caller's own read is the tracker's answer, whatever its version.
      const view = await under;
      return view.version >= atLeastVersion ? view : this.readOperation(ownerId, operationId);
    }
    return this.sharedRead(views, ownerId, operationId);
  }

  /**
   * The owner's operation when this process's view cache holds a current one (what getOperation
   * would answer without asking anyone), else undefined. A view read often is refreshed in the
   * background before it expires.
   */
  cachedOperation(ownerId: string, operationId: string, atLeastVersion = 0): OperationView | undefined {
    const views = this.views;
    if (!views?.enabled) return undefined;
    const hit = views.lookup(ownerId, operationId);
    if (!hit || hit.view.version < atLeastVersion) return undefined;
    // The refresh's outcome only matters to the cache; a failure leaves the view to expire.
    if (hit.refresh) this.sharedRead(views, ownerId, operationId).catch(() => undefined);
    return hit.view;
  }

  private sharedRead(views: OperationViewCache, ownerId: string, operationId: string): Promise<OperationView> {
    const under = views.sharedRead(ownerId, operationId);
    if (under) return under;
    const read = this.readOperation(ownerId, operationId);
    views.share(ownerId, operationId, read);
    return read;
  }

  /** Always asks the tracker; the answer refreshes the cache. */
  async readOperation(ownerId: string, operationId: string): Promise<OperationView> {
    const views = this.views;
    if (!views?.enabled) return this.rpc.call(TrackerRpc.GetOperation, { ownerId, operationId });
    const read = views.beginRead(operationId);
    let view: OperationView | undefined;
    try {
      view = await this.rpc.call(TrackerRpc.GetOperation, { ownerId, operationId });
      return view;
    } finally {
      views.finishRead(read, view);
    }
  }

  /** An external producer's operation (native POST /api/v1/operations). */
  async createOperation(request: CreateOperationRequest): Promise<OperationView> {
    return this.remember(await this.rpc.call(TrackerRpc.CreateOperation, request));
  }

  /**
   * Read-your-writes for a job a service accepted: its `operation.submitted` payloads, forwarded
   * as the service returned them; the gateway adds nothing.
   */
  async recordSubmitted(job: SubmittedJob): Promise<OperationView> {
    return this.remember(await this.rpc.call(TrackerRpc.RecordSubmitted, job));
  }

  listOperations(request: ListOperationsRequest): Promise<Page<OperationView>> {
    return this.rpc.call(TrackerRpc.ListOperations, request);
  }

  async cancelOperation(request: CancelOperationRequest): Promise<OperationView> {
    return this.remember(await this.rpc.call(TrackerRpc.CancelOperation, request));
  }

  listItemFailures(request: ListItemFailuresRequest): Promise<Page<ItemFailureView>> {
    return this.rpc.call(TrackerRpc.ListItemFailures, request);
  }

  /** Read-your-writes from the cache: the tracker's answer to a write is the newest view there is. */
  private remember(view: OperationView): OperationView {
    this.views?.store(view);
    return view;
  }
}
