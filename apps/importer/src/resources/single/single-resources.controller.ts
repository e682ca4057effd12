import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { AddCampaignVoucherRequest, GetImportedResourceRequest, ImportedResourceRecord, ImporterResourceRpc } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController } from '@asyncops/messaging';
import { SingleResources } from './single-resources';
import { IMPORTER_RPC_CONSUMER } from '../../queues';

/** The gateway's reads of one voucher, campaign or customer, and the single-voucher add. */
@MessageController(IMPORTER_RPC_CONSUMER)
export class SingleResourcesController {
  constructor(private readonly resources: SingleResources) {}

  @MessagePattern(ImporterResourceRpc.GetResource)
  get(@Payload() req: GetImportedResourceRequest, @Ctx() ctx: AmqpContext): Promise<ImportedResourceRecord> {
    return answering(() => this.resources.get(ctx.manager, req));
  }

  @MessagePattern(ImporterResourceRpc.AddCampaignVoucher)
  addVoucher(@Payload() req: AddCampaignVoucherRequest, @Ctx() ctx: AmqpContext): Promise<ImportedResourceRecord> {
    return answering(() => this.resources.addCampaignVoucher(ctx.manager, req));
  }
}
