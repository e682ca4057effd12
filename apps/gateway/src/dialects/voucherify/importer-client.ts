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
  StartCampaignChangeRequest,
  StartGenerationRequest,
  StartImportRequest,
  StartMetadataPurgeRequest,
  StartImportResult,
  GetImportedResourceRequest,
  ImportedResourceRecord,
  ImporterResourceRpc,
} from '@asyncops/contracts';
import { GatewayRpc } from '../../core/errors/gateway-rpc';

/** The importer's request/reply API as the gateway uses it; broker trouble becomes a 503. */
@Injectable()
export class ImporterClient {
  constructor(private readonly rpc: GatewayRpc) {}

  appendChunk(req: AppendUploadChunkRequest): Promise<AppendUploadChunkResult> {
    return this.rpc.call(ImporterRpc.AppendUploadChunk, req);
  }

  discardUpload(req: DiscardUploadRequest): Promise<DiscardUploadResult> {
    return this.rpc.call(ImporterRpc.DiscardUpload, req);
  }

  startImport(req: StartImportRequest): Promise<StartImportResult> {
    return this.rpc.call(ImporterRpc.StartImport, req);
  }

  startGeneration(req: StartGenerationRequest): Promise<StartImportResult> {
    return this.rpc.call(ImporterRpc.StartGeneration, req);
  }

  startCampaignChange(req: StartCampaignChangeRequest): Promise<StartImportResult> {
    return this.rpc.call(ImporterRpc.StartCampaignChange, req);
  }

  startMetadataPurge(req: StartMetadataPurgeRequest): Promise<StartImportResult> {
    return this.rpc.call(ImporterRpc.StartMetadataPurge, req);
  }

  listFailures(req: ListImportFailuresRequest): Promise<ImportFailuresPage> {
    return this.rpc.call(ImporterRpc.ListImportFailures, req);
  }

  listImportedResources(req: ListImportedResourcesRequest): Promise<ImportedResourcesPage> {
    return this.rpc.call(ImporterRpc.ListImportedResources, req);
  }

  getResource(req: GetImportedResourceRequest): Promise<ImportedResourceRecord> {
    return this.rpc.call(ImporterResourceRpc.GetResource, req);
  }

  addCampaignVoucher(req: AddCampaignVoucherRequest): Promise<ImportedResourceRecord> {
    return this.rpc.call(ImporterResourceRpc.AddCampaignVoucher, req);
  }
}
