import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AddCampaignVoucherRequest, GetImportedResourceRequest, ImportedResourceRecord, RpcErrorCode } from '@asyncops/contracts';
import { ServiceError } from '@asyncops/messaging';
import { generateCodes } from '../../generation/code-generator';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A key that names a row by id: the uuid itself, or the uuid's 32 hex digits behind the resource's prefix. */
export function idFromKey(key: string, prefix: string): string | null {
  if (UUID.test(key)) return key.toLowerCase();
  const m = new RegExp(`^${prefix}([0-9a-f]{32})$`, 'i').exec(key);
  if (!m) return null;
  const h = m[1].toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const notFound = (resource: string, key: string) => new ServiceError('RESOURCE_NOT_FOUND', RpcErrorCode.NotFound, `Cannot find ${resource} with id ${key}`, { codeInReply: false });

/** Single resources of their owner, read or (one voucher) added synchronously. */
@Injectable()
export class SingleResources {
  private readonly log = new Logger(SingleResources.name);

  async get(m: EntityManager, req: GetImportedResourceRequest): Promise<ImportedResourceRecord> {
    const record = await this.read(m, req.resource, req.ownerId, req.key);
    if (!record) throw notFound(req.resource, req.key);
    return { resource: req.resource, record };
  }

  private async read(m: EntityManager, resource: GetImportedResourceRequest['resource'], ownerId: string, key: string): Promise<Record<string, unknown> | undefined> {
    switch (resource) {
      case 'voucher': {
        const [row]: Array<Record<string, unknown>> = await m.query(
          `SELECT v.*, c."name" AS "campaign_name" FROM "importer"."voucher" v LEFT JOIN "importer"."campaign" c ON c."id" = v."campaign_id"
            WHERE v."owner_id" = $1 AND (v."code" = $2 OR v."id" = $3::uuid)`,
          [ownerId, key, idFromKey(key, 'v_')],
        );
        return row;
      }
      case 'campaign': {
        const [row]: Array<Record<string, unknown>> = await m.query(
          `SELECT c.*, (SELECT count(*) FROM "importer"."voucher" v WHERE v."campaign_id" = c."id")::int AS "vouchers_count"
             FROM "importer"."campaign" c WHERE c."owner_id" = $1 AND (c."name" = $2 OR c."id" = $3::uuid)`,
          [ownerId, key, idFromKey(key, 'camp_')],
        );
        return row;
      }
      case 'customer': {
        const [row]: Array<Record<string, unknown>> = await m.query(
          `SELECT *, to_char("birthdate", 'YYYY-MM-DD') AS "birthdate_text" FROM "importer"."customer" WHERE "owner_id" = $1 AND ("source_id" = $2 OR "id" = $3::uuid)`,
          [ownerId, key, idFromKey(key, 'cust_')],
        );
        return row;
      }
    }
  }

  /** One voucher with a fresh code in an existing campaign; answers the stored voucher. */
  async addCampaignVoucher(m: EntityManager, req: AddCampaignVoucherRequest): Promise<ImportedResourceRecord> {
    const [campaign]: Array<{ id: string; category: string | null; active: boolean; start_date: Date | null; expiration_date: Date | null }> = await m.query(
      `SELECT "id", "category", "active", "start_date", "expiration_date" FROM "importer"."campaign" WHERE "owner_id" = $1 AND ("name" = $2 OR "id" = $3::uuid)`,
      [req.ownerId, req.campaignId, idFromKey(req.campaignId, 'camp_')],
    );
    if (!campaign) throw notFound('campaign', req.campaignId);
    for (let attempt = 0; attempt < 10; attempt++) {
      const [code] = generateCodes(req.codeConfig, 1);
      // The campaign's settings are the defaults of its new voucher, as in a Voucherify campaign.
      const [row]: Array<{ id: string }> = await m.query(
        `INSERT INTO "importer"."voucher" ("owner_id", "campaign_id", "code", "type", "category", "active", "start_date", "expiration_date", "metadata", "redemption_limit", "additional_info")
         VALUES ($1, $2, $3, 'DISCOUNT_VOUCHER', $4, $5, $6::timestamptz, $7::timestamptz, $8::jsonb, $9, $10)
         ON CONFLICT ("owner_id", "code") DO NOTHING RETURNING "id"`,
        [
          req.ownerId,
          campaign.id,
          code,
          req.category ?? campaign.category,
          req.active ?? campaign.active,
          req.start_date ?? campaign.start_date,
          req.expiration_date ?? campaign.expiration_date,
          JSON.stringify(req.metadata ?? {}),
          req.redemptionQuantity ?? null,
          req.additionalInfo ?? null,
        ],
      );
      if (row) {
        this.log.log({ msg: 'voucher added to campaign', campaignId: campaign.id, event: 'voucher-added' });
        return this.get(m, { ownerId: req.ownerId, resource: 'voucher', key: code });
      }
    }
    throw new ServiceError('CODE_SPACE_EXHAUSTED', RpcErrorCode.Conflict, 'code_config: no unused code could be drawn from the pattern; use a longer length or a larger charset', {
      codeInReply: false,
    });
  }
}
