import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Upload chunks are written once and read once, by the import's batches: compressing them on
 * the way in (PostgreSQL's default for large values) only costs CPU on both sides of the fast
 * path. EXTERNAL keeps them out of line but uncompressed.
 */
export class StoreUploadChunksUncompressed1764900000000 implements MigrationInterface {
  name = 'StoreUploadChunksUncompressed1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "importer"."upload_chunk" ALTER COLUMN "data" SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "importer"."upload_chunk" ALTER COLUMN "data" SET STORAGE EXTENDED`);
  }
}
