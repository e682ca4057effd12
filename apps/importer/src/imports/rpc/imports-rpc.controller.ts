import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  AppendUploadChunkRequest,
  AppendUploadChunkResult,
  DiscardUploadRequest,
  DiscardUploadResult,
  ImporterRpc,
  ImportFailuresPage,
  ListImportFailuresRequest,
  StartCampaignChangeRequest,
  StartGenerationRequest,
  StartImportRequest,
  StartMetadataPurgeRequest,
  StartImportResult,
} from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { IMPORTER_RPC_CONSUMER } from '../../queues';
import { listFailures } from '../batch/action-failures';
import { CampaignChangeHandler } from '../commands/change-campaign/change-campaign.handler';
import { CodeGenerationHandler } from '../commands/generate-codes/generate-codes.handler';
import { ResourceImportHandler } from '../commands/import-resources/import-resources.handler';
import { MetadataPurgeHandler } from '../commands/purge-metadata/purge-metadata.handler';
import { UploadStore } from '../uploads/upload-store';

/** The gateway's synchronous calls: store an upload chunk, discard an upload, start an import, page its failed rows. */
@MessageController(IMPORTER_RPC_CONSUMER)
export class ImportsRpcController {
  constructor(
    private readonly uploads: UploadStore,
    private readonly resources: ResourceImportHandler,
    private readonly generation: CodeGenerationHandler,
    private readonly campaigns: CampaignChangeHandler,
    private readonly purges: MetadataPurgeHandler,
  ) {}

  @MessagePattern(ImporterRpc.AppendUploadChunk)
  append(@Payload() req: AppendUploadChunkRequest, @Ctx() ctx: AmqpContext): Promise<AppendUploadChunkResult> {
    return answering(() => this.uploads.appendChunk(ctx.manager, req));
  }

  @MessagePattern(ImporterRpc.DiscardUpload)
  discard(@Payload() req: DiscardUploadRequest, @Ctx() ctx: AmqpContext): Promise<DiscardUploadResult> {
    return answering(() => this.uploads.discardUpload(ctx.manager, req));
  }

  @MessagePattern(ImporterRpc.StartImport)
  start(@Payload() req: StartImportRequest, @Ctx() ctx: AmqpContext): Promise<StartImportResult> {
    return answering(() => this.resources.start(ctx.manager, ctx.outbox, req));
  }

  @MessagePattern(ImporterRpc.StartGeneration)
  generate(@Payload() req: StartGenerationRequest, @Ctx() ctx: AmqpContext): Promise<StartImportResult> {
    return answering(() => this.generation.start(ctx.manager, ctx.outbox, req));
  }

  @MessagePattern(ImporterRpc.StartCampaignChange)
  campaignChange(@Payload() req: StartCampaignChangeRequest, @Ctx() ctx: AmqpContext): Promise<StartImportResult> {
    return answering(() => this.campaigns.start(ctx.manager, ctx.outbox, req));
  }

  @MessagePattern(ImporterRpc.StartMetadataPurge)
  purge(@Payload() req: StartMetadataPurgeRequest, @Ctx() ctx: AmqpContext): Promise<StartImportResult> {
    return answering(() => this.purges.start(ctx.manager, ctx.outbox, req));
  }

  @MessagePattern(ImporterRpc.ListImportFailures)
  failures(@Payload() req: ListImportFailuresRequest, @Ctx() ctx: AmqpContext): Promise<ImportFailuresPage> {
    return answering(() => listFailures(ctx.manager, req));
  }
}
