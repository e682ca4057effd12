import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import { ImporterConfig } from '../../config';

/**
 * Reads stored uploads on connections of its own. A batch that streams rows into COPY holds its
 * transaction's connection in COPY mode, so the file's chunks must come over another one; a
 * separate small pool (not the app's) means a batch never waits for a connection another batch
 * holds. Uploads are immutable once their action starts, so reading outside the batch's
 * transaction sees the same bytes.
 */
@Injectable()
export class UploadReader implements OnModuleDestroy {
  private readonly pool: Pool;

  constructor(@Inject(ImporterConfig) config: ImporterConfig) {
    this.pool = new Pool({ connectionString: config.DATABASE_URL, max: 2, idleTimeoutMillis: 10_000, application_name: 'asyncops-importer-upload-reader' });
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  /** The stored file from a byte offset on, one chunk at a time, the next one fetched while this one is used. */
  async *chunks(uploadId: string, offset: number): AsyncGenerator<Buffer> {
    const first = await this.pool.query<{ seq: number }>(
      `SELECT "seq" FROM "importer"."upload_chunk" WHERE "upload_id" = $1 AND "start_offset" <= $2 ORDER BY "seq" DESC LIMIT 1`,
      [uploadId, offset],
    );
    if (!first.rows.length) return;
    const fetch = (seq: number) =>
      this.pool.query<{ data: Buffer; start_offset: string }>(`SELECT "data", "start_offset" FROM "importer"."upload_chunk" WHERE "upload_id" = $1 AND "seq" = $2`, [uploadId, seq]);
    let seq = first.rows[0].seq;
    let next = fetch(seq);
    for (;;) {
      const { rows } = await next;
      if (!rows.length) return;
      next = fetch(++seq);
      // A generator left early must not leave a rejected prefetch unobserved.
      next.catch(() => undefined);
      const chunk = rows[0];
      const skip = Math.max(0, offset - Number(chunk.start_offset));
      if (skip < chunk.data.length) yield skip ? chunk.data.subarray(skip) : chunk.data;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
