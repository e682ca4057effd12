import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TRACKER_SCHEMA, TrackerConfig } from '../config';
import { SecretBox } from './secret-box';

const S = TRACKER_SCHEMA;
const BATCH = 500;

/**
 * At start-up, seals every webhook secret that is not under the current key: rows stored before
 * encryption was configured, and rows under an older key after a rotation. Each row is rewritten
 * only if it still holds what was read, so replicas starting together do not fight.
 */
@Injectable()
export class WebhookSecretSealer implements OnApplicationBootstrap {
  private readonly log = new Logger(WebhookSecretSealer.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    @Inject(TrackerConfig) private readonly config: TrackerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const current = this.secrets.currentKeyId;
    if (current === null) {
      if (this.config.NODE_ENV === 'production') {
        this.log.warn({ msg: 'WEBHOOK_SECRET_KEYS is not set: webhook signing secrets are stored unencrypted', event: 'webhook-secrets-unencrypted' });
      }
      return;
    }
    let sealed = 0;
    let unreadable = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: Array<{ id: string; secret: string; secret_key_id: string | null }> = await this.dataSource.query(
        `SELECT "id", "secret", "secret_key_id" FROM "${S}"."webhook"
          WHERE "secret_key_id" IS DISTINCT FROM $1 AND "id" > $2 ORDER BY "id" LIMIT ${BATCH}`,
        [current, after],
      );
      if (!rows.length) break;
      for (const row of rows) {
        after = row.id;
        let plain: string;
        try {
          plain = this.secrets.open(row.id, { secret: row.secret, keyId: row.secret_key_id });
        } catch {
          unreadable++;
          continue;
        }
        const next = this.secrets.seal(row.id, plain);
        await this.dataSource.query(
          `UPDATE "${S}"."webhook" SET "secret" = $2, "secret_key_id" = $3 WHERE "id" = $1 AND "secret" = $4 AND "secret_key_id" IS NOT DISTINCT FROM $5`,
          [row.id, next.secret, next.keyId, row.secret, row.secret_key_id],
        );
        sealed++;
      }
    }
    if (sealed) this.log.log({ msg: 'webhook secrets sealed under the current key', event: 'webhook-secrets-sealed', count: sealed, keyId: current });
    if (unreadable) {
      this.log.error({ msg: 'webhook secrets under a key no longer configured; rotate those webhooks\' secrets', event: 'webhook-secrets-unreadable', count: unreadable });
    }
  }
}
