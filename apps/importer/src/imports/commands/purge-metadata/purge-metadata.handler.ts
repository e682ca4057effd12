import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { METADATA_PURGE_TYPES, PurgeableResource, StartImportResult, StartMetadataPurgeRequest } from '@asyncops/contracts';
import type { OutboxWriter } from '@asyncops/messaging';
import { ImporterConfig } from '../../../config';
import { PURGE_TABLES } from '../../../generation/code-generator';
import { ActionHandler, BatchContext, completeCounted, enqueueNextBatch, recordCounted } from '../../batch/action-handler';
import { createAction, retriedStart } from '../../batch/action-start';

interface PurgeColumns {
  resource: PurgeableResource;
  key: string;
}

/** *.METADATA_KEY_PURGE: batches remove the key from every resource of the kind that has it. */
@Injectable()
export class MetadataPurgeHandler implements ActionHandler {
  readonly types = Object.values(METADATA_PURGE_TYPES);

  constructor(@Inject(ImporterConfig) private readonly config: ImporterConfig) {}

  async start(m: EntityManager, outbox: OutboxWriter, req: StartMetadataPurgeRequest): Promise<StartImportResult> {
    const type = METADATA_PURGE_TYPES[req.resource];
    const retried = await retriedStart(m, req, type);
    if (retried) return retried;
    const columns: PurgeColumns = { resource: req.resource, key: req.key };
    return createAction(m, outbox, { operationId: req.operationId, ownerId: req.ownerId, type, requestId: req.requestId, columns });
  }

  /** One batch of a key purge: the next resources still holding the key lose it (no cursor needed). */
  async runBatch(b: BatchContext): Promise<void> {
    const { resource, key } = b.action.columns as unknown as PurgeColumns;
    const table = PURGE_TABLES[resource];
    const limit = this.config.IMPORT_BATCH_SIZE;
    const [ids]: [Array<{ id: string }>, number] = await b.m.query(
      `UPDATE "importer"."${table}" t SET "metadata" = t."metadata" - $2::text
        WHERE t."id" IN (SELECT "id" FROM "importer"."${table}" WHERE "owner_id" = $1 AND "metadata" ? $2 ORDER BY "id" LIMIT $3)
        RETURNING t."id"`,
      [b.action.owner_id, key, limit],
    );
    const done = b.action.done_count + ids.length;
    await recordCounted(b, done);
    await b.rep.progressed(ids.length, []);
    if (ids.length === limit) return enqueueNextBatch(b);
    await completeCounted(b, `Metadata key ${key} purged from ${done} ${resource}(s).`, done, done);
  }
}
