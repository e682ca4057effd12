import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppendUploadChunkRequest, AppendUploadChunkResult, DiscardUploadRequest, DiscardUploadResult } from '@asyncops/contracts';
import { UploadNotFoundError } from '../../errors';

/** Uploads as the gateway streams them in: chunk by chunk, each committed, before any action reads them. */
@Injectable()
export class UploadStore {
  private readonly log = new Logger(UploadStore.name);

  async appendChunk(m: EntityManager, req: AppendUploadChunkRequest): Promise<AppendUploadChunkResult> {
    await m.query(`INSERT INTO "importer"."upload" ("id", "owner_id") VALUES ($1, $2) ON CONFLICT ("id") DO NOTHING`, [req.uploadId, req.ownerId]);
    const [upload]: Array<{ owner_id: string }> = await m.query(`SELECT "owner_id" FROM "importer"."upload" WHERE "id" = $1`, [req.uploadId]);
    if (upload.owner_id !== req.ownerId) throw new UploadNotFoundError(req.uploadId);
    const data = Buffer.from(req.data, 'base64');
    // A retried append (the reply was lost) finds its chunk stored and changes nothing.
    await m.query(`INSERT INTO "importer"."upload_chunk" ("upload_id", "seq", "data") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [req.uploadId, req.seq, data]);
    return { uploadId: req.uploadId, seq: req.seq, storedBytes: data.length };
  }

  /**
   * Deletes an upload that will not become an import (the gateway refused or lost the request), so a
   * refused or aborted file is not kept until the sweeper's age limit. The row lock waits for a
   * start-import of the same upload still running; an upload an action reads is never deleted here.
   */
  async discardUpload(m: EntityManager, req: DiscardUploadRequest): Promise<DiscardUploadResult> {
    const [upload]: Array<{ owner_id: string }> = await m.query(`SELECT "owner_id" FROM "importer"."upload" WHERE "id" = $1 FOR UPDATE`, [req.uploadId]);
    if (!upload || upload.owner_id !== req.ownerId) return { discarded: false };
    const reading: unknown[] = await m.query(`SELECT 1 FROM "importer"."async_action" WHERE "upload_id" = $1 LIMIT 1`, [req.uploadId]);
    if (reading.length) return { discarded: false };
    await m.query(`DELETE FROM "importer"."upload" WHERE "id" = $1`, [req.uploadId]);
    this.log.log({ msg: 'upload discarded: it will not become an import', uploadId: req.uploadId, event: 'upload-discarded' });
    return { discarded: true };
  }
}
