import { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'tracker';

/**
 * Webhook secrets are encrypted at rest: the id of the key that sealed each one is kept beside it
 * (NULL: stored before encryption, or with no key configured). Existing secrets are sealed at the
 * tracker's next start, which holds the key; this migration only makes room for the key id.
 */
export class WebhookSecretKeyId1764713000000 implements MigrationInterface {
  name = 'WebhookSecretKeyId1764713000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "${S}"."webhook" ADD COLUMN "secret_key_id" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Sealed secrets cannot be read without their key: refuse rather than leave them undecryptable.
    const sealed: Array<{ n: number }> = await q.query(`SELECT count(*)::int AS "n" FROM "${S}"."webhook" WHERE "secret_key_id" IS NOT NULL`);
    if (sealed[0].n > 0) throw new Error('webhook secrets are encrypted: reverting would keep ciphertext no older version can read');
    await q.query(`ALTER TABLE "${S}"."webhook" DROP COLUMN "secret_key_id"`);
  }
}
