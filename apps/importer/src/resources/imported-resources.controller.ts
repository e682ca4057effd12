import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  AddCampaignVoucherRequest,
  GetImportedResourceRequest,
  ImportedResource,
  ImportedResourceRecord,
  ImportedResourcesPage,
  ImporterResourceRpc,
  ImporterRpc,
  ListImportedResourcesRequest,
} from '@asyncops/contracts';
import { AmqpContext, answering, InvalidCursorError, MessageController } from '@asyncops/messaging';
import { IMPORTER_RPC_CONSUMER } from '../queues';
import { SingleResources } from './single/single-resources';

/**
 * Each resource's table and the natural key its owner-scoped unique index is on: pages follow
 * that index, so reading a million imported vouchers never sorts or skips.
 */
export const RESOURCE_TABLES: Readonly<Record<ImportedResource, { table: string; key: string }>> = {
  vouchers: { table: 'voucher', key: 'code' },
  campaigns: { table: 'campaign', key: 'name' },
  customers: { table: 'customer', key: 'source_id' },
  products: { table: 'product', key: 'source_id' },
  skus: { table: 'sku', key: 'source_id' },
  orders: { table: 'imported_order', key: 'source_id' },
};

export const encodeResourceCursor = (key: string) => Buffer.from(`k:${key}`, 'utf8').toString('base64url');

export function decodeResourceCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('k:') || text.length < 3) throw new InvalidCursorError();
  return text.slice(2);
}

/** The gateway's reads of what was imported (one voucher, campaign or customer, or a page of any resource) and the single-voucher add. */
@MessageController(IMPORTER_RPC_CONSUMER)
export class ImportedResourcesController {
  constructor(private readonly resources: SingleResources) {}

  @MessagePattern(ImporterResourceRpc.GetResource)
  get(@Payload() req: GetImportedResourceRequest, @Ctx() ctx: AmqpContext): Promise<ImportedResourceRecord> {
    return answering(() => this.resources.get(ctx.manager, req));
  }

  /** Native reads of what was imported, so an owner can see the rows an action wrote. */
  @MessagePattern(ImporterRpc.ListImportedResources)
  async list(@Payload() req: ListImportedResourcesRequest, @Ctx() ctx: AmqpContext): Promise<ImportedResourcesPage> {
    const { table, key } = RESOURCE_TABLES[req.resource];
    const after = req.cursor === undefined ? null : decodeResourceCursor(req.cursor);
    const rows: Array<{ k: string; doc: Record<string, unknown> }> = await ctx.manager.query(
      `SELECT t."${key}" AS k, to_jsonb(t) - 'owner_id' AS doc FROM "importer"."${table}" t
        WHERE t."owner_id" = $1 AND ($2::text IS NULL OR t."${key}" > $2)
        ORDER BY t."${key}" LIMIT $3`,
      [req.ownerId, after, req.limit + 1],
    );
    const more = rows.length > req.limit;
    const page = rows.slice(0, req.limit);
    return { items: page.map((r) => r.doc), nextCursor: more ? encodeResourceCursor(page[page.length - 1].k) : null };
  }

  @MessagePattern(ImporterResourceRpc.AddCampaignVoucher)
  addVoucher(@Payload() req: AddCampaignVoucherRequest, @Ctx() ctx: AmqpContext): Promise<ImportedResourceRecord> {
    return answering(() => this.resources.addCampaignVoucher(ctx.manager, req));
  }
}
