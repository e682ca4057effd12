import { Injectable } from '@nestjs/common';
import {
  AddCampaignVoucherRequest,
  AppendUploadChunkRequest,
  AppendUploadChunkResult,
  DiscardUploadRequest,
  DiscardUploadResult,
  ImporterRpc,
  ImportFailuresPage,
  ImportedResourcesPage,
  ListImportFailuresRequest,
  ListImportedResourcesRequest,
  PayloadOf,
  RpcResponses,
  RpcRoutingKey,
  StartCampaignChangeRequest,
  StartGenerationRequest,
  StartImportRequest,
  StartMetadataPurgeRequest,
  StartImportResult,
  GetImportedResourceRequest,
  ImportedResourceRecord,
  ImporterResourceRpc,
} from '@asyncops/contracts';
import { RpcClient, RpcError } from '@asyncops/messaging';
import { GatewayConfig } from '../../config';
import { ServiceUnavailableError } from '../../core/errors/gateway-errors';

/** The importer's request/reply API as the gateway uses it; broker trouble becomes a 503. */
@Injectable()
export class ImporterClient {
  constructor(
    private readonly rpc: RpcClient,
    private readonly config: GatewayConfig,
  ) {}

  appendChunk(req: AppendUploadChunkRequest): Promise<AppendUploadChunkResult> {
    return this.call(ImporterRpc.AppendUploadChunk, req);
  }

  discardUpload(req: DiscardUploadRequest): Promise<DiscardUploadResult> {
    return this.call(ImporterRpc.DiscardUpload, req);
  }

  startImport(req: StartImportRequest): Promise<StartImportResult> {
    return this.call(ImporterRpc.StartImport, req);
  }

  startGeneration(req: StartGenerationRequest): Promise<StartImportResult> {
    return this.call(ImporterRpc.StartGeneration, req);
  }

  startCampaignChange(req: StartCampaignChangeRequest): Promise<StartImportResult> {
    return this.call(ImporterRpc.StartCampaignChange, req);
  }

  startMetadataPurge(req: StartMetadataPurgeRequest): Promise<StartImportResult> {
    return this.call(ImporterRpc.StartMetadataPurge, req);
  }

  listFailures(req: ListImportFailuresRequest): Promise<ImportFailuresPage> {
    return this.call(ImporterRpc.ListImportFailures, req);
  }

  listImportedResources(req: ListImportedResourcesRequest): Promise<ImportedResourcesPage> {
    return this.call(ImporterRpc.ListImportedResources, req);
  }

  getResource(req: GetImportedResourceRequest): Promise<ImportedResourceRecord> {
    return this.call(ImporterResourceRpc.GetResource, req);
  }

  addCampaignVoucher(req: AddCampaignVoucherRequest): Promise<ImportedResourceRecord> {
    return this.call(ImporterResourceRpc.AddCampaignVoucher, req);
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
