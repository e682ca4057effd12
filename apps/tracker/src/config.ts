import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString } from 'class-validator';
import { BaseConfig, Hint, IntSetting, webhookTargetConfigProblems } from '@asyncops/platform';
import { parseProducerBrokerUsers } from './producers/producer-broker-users';
import { parseSecretKeys } from './webhooks/secret-box';

/** The tracker's schema; the name lives in libs/soql, which the gateway's SOQL read path shares. */
export { TRACKER_SCHEMA } from '@asyncops/soql';

export class TrackerConfig extends BaseConfig {
  override PORT = 3001;

  @IntSetting(1, 3650, 'Days an operation is kept after submission before the sweeper deletes it (sets ExpiresAt)')
  OPERATION_RETENTION_DAYS = 30;

  @IntSetting(15, 3650, 'Days a deleted operation stays in the deleted feed; at least the 15 days Salesforce promises')
  TOMBSTONE_RETENTION_DAYS = 30;

  @IntSetting(100, 86_400_000)
  SWEEP_INTERVAL_MS = 60_000;

  /**
   * How long the record of which transactions changed an owner's operations (`owner_change`) is
   * kept. A gateway checks its cached SOQL pages against it, so it must outlast the longest a
   * gateway keeps a page (its SOQL_CACHE_MAX_AGE_MS, at most 300000): the default is twice that.
   */
  @IntSetting(1_000, 86_400_000, "OWNER_CHANGE_RETENTION_MS must be longer than every gateway's SOQL_CACHE_MAX_AGE_MS (at most 300000)")
  OWNER_CHANGE_RETENTION_MS = 600_000;

  @IntSetting(1, 365)
  override PROCESSED_MESSAGE_RETENTION_DAYS = 7;

  @IntSetting(1, 2000, 'Most lifecycle events applied in one transaction; 1 applies them one by one')
  LIFECYCLE_BATCH_SIZE = 250;

  @IntSetting(0, 1000, 'How long a partial batch of lifecycle events waits for more before it is applied')
  LIFECYCLE_BATCH_WAIT_MS = 2;

  @IntSetting(500, 600_000, 'How long a replica holds its share of the lifecycle-event partitions without renewing it; a killed replica\'s share is taken over after about this long')
  PARTITION_LEASE_MS = 5_000;

  @IntSetting(1, 365, 'Days the live event log (Last-Event-ID resumption) and finished webhook deliveries are kept')
  EVENT_LOG_RETENTION_DAYS = 7;

  @IntSetting(1, 50, 'Attempts per webhook delivery before it is dead-lettered (status dead)')
  WEBHOOK_MAX_ATTEMPTS = 8;

  @IntSetting(10, 3_600_000, 'Delay before the first webhook retry; each further retry doubles it')
  WEBHOOK_BASE_DELAY_MS = 10_000;

  @IntSetting(10, 86_400_000)
  WEBHOOK_MAX_DELAY_MS = 3_600_000;

  @IntSetting(100, 120_000, 'How long a webhook receiver may take to answer before the attempt counts as failed')
  WEBHOOK_TIMEOUT_MS = 10_000;

  @IntSetting(1, 500, 'Webhook requests in flight at once per tracker replica')
  WEBHOOK_CONCURRENCY = 32;

  @IntSetting(1, 500, 'Webhook requests in flight at once per webhook per replica, so one slow receiver cannot take every slot')
  WEBHOOK_CONCURRENCY_PER_WEBHOOK = 4;

  @IntSetting(20, 60_000)
  WEBHOOK_POLL_MS = 500;

  /** Broker user → producer names it may report lifecycle events for; validated in validateTogether. */
  @IsString()
  @Hint('PRODUCER_BROKER_USERS maps broker users to producer names, e.g. {"guest":["*"],"importer":["importer"]}')
  PRODUCER_BROKER_USERS = '{"guest":["*"]}';

  /** When true, lifecycle events without an AMQP user_id are rejected (set it once every producer sends one). */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() === 'true' : value))
  @IsBoolean()
  REQUIRE_BROKER_USER_ID = false;

  /** Lets webhooks reach loopback/private/link-local addresses: local development and tests only, refused in production. */
  @IsIn(['true', 'false'])
  @Hint('WEBHOOK_ALLOW_PRIVATE_TARGETS is true or false; never true in production')
  WEBHOOK_ALLOW_PRIVATE_TARGETS = 'false';

  /**
   * Keys that encrypt webhook signing secrets at rest: `keyId:base64key[,oldId:base64key…]`, 32-byte
   * keys, the first encrypts and all decrypt (README "Security": rotation). Empty: stored unencrypted.
   */
  @IsString()
  WEBHOOK_SECRET_KEYS = '';

  get allowPrivateWebhookTargets(): boolean {
    return this.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true';
  }

  validateTogether(): string[] {
    return [...parseProducerBrokerUsers(this.PRODUCER_BROKER_USERS).problems, ...webhookTargetConfigProblems(this), ...parseSecretKeys(this.WEBHOOK_SECRET_KEYS).problems];
  }
}
