import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StartCampaignChangeRequest, StartImportResult } from '@asyncops/contracts';
import type { OutboxWriter } from '@asyncops/messaging';
import { ImporterConfig } from '../../../config';
import { CampaignNotFoundError } from '../../../errors';
import { CAMPAIGN_DELETE_TYPE, CAMPAIGN_UPDATE_TYPE } from '../../../generation/code-generator';
import { existingCampaign } from '../../../resources/campaigns/campaigns';
import { ActionHandler, BatchContext, completeCounted, enqueueNextBatch, recordCounted } from '../../batch/action-handler';
import { createAction, retriedStart } from '../../batch/action-start';

type CampaignChanges = NonNullable<StartCampaignChangeRequest['changes']>;

/** The action's parameters and cursor: the last voucher id changed so far (an update walks the ids). */
export interface CampaignChangeColumns {
  changes: CampaignChanges;
  lastId: string | null;
  total: number;
}

/** The cursor after a batch: the highest id it changed, or the old cursor when it changed none. */
export function cursorAfter(ids: ReadonlyArray<{ id: string }>, lastId: string | null): string | null {
  return ids.length ? (ids.map((r) => r.id).sort().pop() ?? null) : lastId;
}

/** CAMPAIGN.VOUCHERS_UPDATE / _DELETE: the campaign must exist; batches walk its vouchers by id. */
@Injectable()
export class CampaignChangeHandler implements ActionHandler {
  readonly types = [CAMPAIGN_UPDATE_TYPE, CAMPAIGN_DELETE_TYPE] as const;

  constructor(@Inject(ImporterConfig) private readonly config: ImporterConfig) {}

  async start(m: EntityManager, outbox: OutboxWriter, req: StartCampaignChangeRequest): Promise<StartImportResult> {
    const type = req.kind === 'update' ? CAMPAIGN_UPDATE_TYPE : CAMPAIGN_DELETE_TYPE;
    const retried = await retriedStart(m, req, type);
    if (retried) return retried;
    const campaignId = await existingCampaign(m, req.ownerId, req.campaignId);
    if (!campaignId) throw new CampaignNotFoundError(req.campaignId);
    if (type === CAMPAIGN_UPDATE_TYPE && req.changes) {
      // The campaign itself takes the changes at once; its vouchers follow batch by batch.
      const c = req.changes;
      await m.query(
        `UPDATE "importer"."campaign" SET "category" = coalesce($2, "category"), "active" = coalesce($3, "active"),
           "start_date" = coalesce($4::timestamptz, "start_date"), "expiration_date" = coalesce($5::timestamptz, "expiration_date"),
           "metadata" = "metadata" || $6::jsonb, "updated_at" = now()
         WHERE "id" = $1`,
        [campaignId, c.category ?? null, c.active ?? null, c.start_date ?? null, c.expiration_date ?? null, JSON.stringify(c.metadata ?? {})],
      );
    }
    const [{ n }]: Array<{ n: number }> = await m.query(`SELECT count(*)::int AS n FROM "importer"."voucher" WHERE "campaign_id" = $1`, [campaignId]);
    const columns: CampaignChangeColumns = { changes: req.changes ?? {}, lastId: null, total: n };
    return createAction(m, outbox, { operationId: req.operationId, ownerId: req.ownerId, type, requestId: req.requestId, campaignId, columns });
  }

  /**
   * One batch of a campaign update or delete: the next vouchers of the campaign in id order after
   * the cursor (a delete needs no cursor: deleted rows are gone). The campaign itself goes last.
   */
  async runBatch(b: BatchContext): Promise<void> {
    const { m, action } = b;
    const state = action.columns as unknown as CampaignChangeColumns;
    const limit = this.config.IMPORT_BATCH_SIZE;
    const deleting = action.type === CAMPAIGN_DELETE_TYPE;
    const ids = deleting ? await this.deleteVouchers(m, action.campaign_id, limit) : await this.updateVouchers(m, action.campaign_id, state, limit);
    const done = action.done_count + ids.length;
    await recordCounted(b, done, { ...state, lastId: cursorAfter(ids, state.lastId) });
    await b.rep.progressed(ids.length, [], Math.max(state.total, done));
    if (ids.length === limit) return enqueueNextBatch(b);
    if (deleting) await m.query(`DELETE FROM "importer"."campaign" WHERE "id" = $1`, [action.campaign_id]);
    await completeCounted(b, `${done} voucher(s) ${deleting ? 'deleted' : 'updated'} successfully.`, done, done);
  }

  private async deleteVouchers(m: EntityManager, campaignId: string | null, limit: number): Promise<Array<{ id: string }>> {
    const [ids]: [Array<{ id: string }>, number] = await m.query(
      `DELETE FROM "importer"."voucher" WHERE "id" IN (SELECT "id" FROM "importer"."voucher" WHERE "campaign_id" = $1 ORDER BY "id" LIMIT $2) RETURNING "id"`,
      [campaignId, limit],
    );
    return ids;
  }

  private async updateVouchers(m: EntityManager, campaignId: string | null, state: CampaignChangeColumns, limit: number): Promise<Array<{ id: string }>> {
    const c = state.changes;
    const [ids]: [Array<{ id: string }>, number] = await m.query(
      `UPDATE "importer"."voucher" v SET "category" = coalesce($3, v."category"), "active" = coalesce($4, v."active"),
         "start_date" = coalesce($5::timestamptz, v."start_date"), "expiration_date" = coalesce($6::timestamptz, v."expiration_date"),
         "metadata" = v."metadata" || $7::jsonb, "updated_at" = now()
       WHERE v."id" IN (SELECT "id" FROM "importer"."voucher" WHERE "campaign_id" = $1 AND ($2::uuid IS NULL OR "id" > $2::uuid) ORDER BY "id" LIMIT $8)
       RETURNING v."id"`,
      [campaignId, state.lastId, c.category ?? null, c.active ?? null, c.start_date ?? null, c.expiration_date ?? null, JSON.stringify(c.metadata ?? {}), limit],
    );
    return ids;
  }
}
