import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StartGenerationRequest, StartImportResult } from '@asyncops/contracts';
import type { OutboxWriter } from '@asyncops/messaging';
import { ImporterConfig } from '../../../config';
import { CodeSpaceExhaustedError } from '../../../errors';
import { GENERATE_TYPE, generateCodes } from '../../../generation/code-generator';
import { campaignFor } from '../../../resources/campaigns/campaigns';
import { ActionHandler, BatchContext, completeCounted, enqueueNextBatch, recordCounted } from '../../batch/action-handler';
import { createAction, retriedStart } from '../../batch/action-start';

interface GenerationColumns {
  count: number;
  codeConfig: StartGenerationRequest['codeConfig'];
}

/** CAMPAIGN.VOUCHERS_GENERATE: the action row holds the pattern and count; batches create the codes. */
@Injectable()
export class CodeGenerationHandler implements ActionHandler {
  readonly types = [GENERATE_TYPE] as const;
  private readonly log = new Logger(CodeGenerationHandler.name);

  constructor(@Inject(ImporterConfig) private readonly config: ImporterConfig) {}

  async start(m: EntityManager, outbox: OutboxWriter, req: StartGenerationRequest): Promise<StartImportResult> {
    const retried = await retriedStart(m, req, GENERATE_TYPE);
    if (retried) return retried;
    const campaignId = await campaignFor(m, req.ownerId, req.campaignId);
    const columns: GenerationColumns = { count: req.count, codeConfig: req.codeConfig };
    return createAction(m, outbox, { operationId: req.operationId, ownerId: req.ownerId, type: GENERATE_TYPE, requestId: req.requestId, campaignId, columns });
  }

  /**
   * One batch of generated codes: drawn at random, written with ON CONFLICT DO NOTHING, and drawn
   * again for the ones that collided with existing codes, so every code is unique per owner.
   */
  async runBatch(b: BatchContext): Promise<void> {
    const { action } = b;
    const { count, codeConfig } = action.columns as unknown as GenerationColumns;
    const wanted = Math.min(this.config.IMPORT_BATCH_SIZE, count - action.done_count);
    let made = 0;
    for (let round = 0; made < wanted && round < 10; round++) {
      const codes = generateCodes(codeConfig, wanted - made);
      const inserted: Array<{ code: string }> = await b.m.query(
        `INSERT INTO "importer"."voucher" ("owner_id", "campaign_id", "import_operation_id", "code", "type")
         SELECT $1, $2, $3, t.code, 'DISCOUNT_VOUCHER' FROM unnest($4::text[]) AS t(code)
         ON CONFLICT ("owner_id", "code") DO NOTHING RETURNING "code"`,
        [action.owner_id, action.campaign_id, action.operation_id, codes],
      );
      made += inserted.length;
    }
    if (made < wanted) throw new CodeSpaceExhaustedError(`The code pattern cannot produce ${count} unique codes: only ${action.done_count + made} could be generated.`);
    const done = action.done_count + made;
    await recordCounted(b, done);
    await b.rep.progressed(made, [], count);
    if (done < count) return enqueueNextBatch(b);
    await completeCounted(b, `${done} voucher(s) generated successfully.`, done, count);
    this.log.log({ msg: 'vouchers generated', operationId: action.operation_id, count: done, event: 'generation-finished' });
  }
}
