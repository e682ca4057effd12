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
import { ImportService } from '../import.service';
import { IMPORTER_RPC_CONSUMER } from '../../queues';

/** The gateway's synchronous calls: store an upload chunk, discard an upload, start an import, page its failed rows. */
@MessageController(IMPORTER_RPC_CONSUMER)
export class ImportsRpcController {
  constructor(private readonly imports: ImportService) {}

  @MessagePattern(ImporterRpc.AppendUploadChunk)
  append(@Payload() req: AppendUploadChunkRequest, @Ctx() ctx: AmqpContext): Promise<AppendUploadChunkResult> {
    return answering(() => this.imports.appendChunk(ctx.manager, req));
  }

  @MessagePattern(ImporterRpc.DiscardUpload)
  discard(@Payload() req: DiscardUploadRequest, @Ctx() ctx: AmqpContext): Promise<DiscardUploadResult> {
    return answering(() => this.imports.discardUpload(ctx.manager, req));
  }

  @MessagePattern(ImporterRpc.StartImport)
  start(@Payload() req: StartImportRequest, @Ctx() ctx: AmqpContext): Promise<StartImportResult> {
    return answering(() => this.imports.start(ctx.manager, ctx.outbox, req));
  }

  @MessagePattern(ImporterRpc.StartGeneration)
  generate(@Payload() req: StartGenerationRequest, @Ctx() ctx: AmqpContext): Promise<StartImportResult> {
    return answering(() => this.imports.startGeneration(ctx.manager, ctx.outbox, req));
  }

  @MessagePattern(ImporterRpc.StartCampaignChange)
  campaignChange(@Payload() req: StartCampaignChangeRequest, @Ctx() ctx: AmqpContext): Promise<StartImportResult> {
    return answering(() => this.imports.startCampaignChange(ctx.manager, ctx.outbox, req));
  }

  @MessagePattern(ImporterRpc.StartMetadataPurge)
  purge(@Payload() req: StartMetadataPurgeRequest, @Ctx() ctx: AmqpContext): Promise<StartImportResult> {
    return answering(() => this.imports.startMetadataPurge(ctx.manager, ctx.outbox, req));
  }

  @MessagePattern(ImporterRpc.ListImportFailures)
  failures(@Payload() req: ListImportFailuresRequest, @Ctx() ctx: AmqpContext): Promise<ImportFailuresPage> {
    return answering(() => this.imports.listFailures(ctx.manager, req));
  }
}
