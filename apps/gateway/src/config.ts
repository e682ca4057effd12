import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { BaseConfig, Hint, IntSetting, webhookTargetConfigProblems } from '@asyncops/platform';
import { parseSecretHash } from './core/auth/secret-hash';
import { parseRateLimitSettings } from './core/rate-limit/rate-limit-config';
import { parseAuthThrottleSettings } from './core/auth/auth-throttle';
import { parseTrustProxy, publicBaseUrlProblems } from './core/http/proxy-config';

/** The client that exists when no AUTH_CLIENTS are configured outside production. */
export const DEV_CLIENT_ID = 'dev-client';
export const DEV_CLIENT_SECRET = 'dev-secret';

export const MIN_TOKEN_SECRET_LENGTH = 32;

/**
 * Client ids become the owner id and the producer name of every operation the client creates,
 * so they must fit both (the producer is at most 80 characters) and be safe in logs and URLs.
 */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,79}$/;

export interface AuthClientEntry {
  clientId: string;
  secretHash: string;
  name: string;
}

const HASH_HOWTO = 'hash a secret with: npx ts-node --transpile-only apps/gateway/src/core/auth/hash-secret.ts <secret>';

/**
 * Reads AUTH_CLIENTS. Problems are reported without echoing the value: it holds secret hashes,
 * which do not belong in start-up logs.
 */
export function parseAuthClients(raw: string): { clients: AuthClientEntry[]; problems: string[] } {
  if (raw.trim() === '') return { clients: [], problems: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return { clients: [], problems: [`AUTH_CLIENTS: must be a JSON array (${(e as Error).message})`] };
  }
  if (!Array.isArray(parsed)) {
    return { clients: [], problems: ['AUTH_CLIENTS: must be a JSON array of {"clientId","secretHash","name"} objects'] };
  }
  const problems: string[] = [];
  const clients: AuthClientEntry[] = [];
  const seen = new Set<string>();
  parsed.forEach((entry: unknown, i) => {
    const at = `AUTH_CLIENTS: entry ${i}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(`${at} must be an object`);
      return;
    }
    const { clientId, secretHash, name } = entry as Record<string, unknown>;
    if (typeof clientId !== 'string' || !CLIENT_ID_PATTERN.test(clientId)) {
      problems.push(`${at}: clientId must be 1-80 letters, digits, dots, dashes, underscores, @ or colons, starting with a letter or digit`);
      return;
    }
    if (seen.has(clientId)) problems.push(`${at}: clientId "${clientId}" is listed twice`);
    seen.add(clientId);
    if (typeof secretHash !== 'string' || !parseSecretHash(secretHash)) {
      problems.push(`${at} (${clientId}): secretHash must look like scrypt$<saltHex>$<hashHex>; ${HASH_HOWTO}`);
      return;
    }
    if (name !== undefined && (typeof name !== 'string' || name.length < 1 || name.length > 200)) {
      problems.push(`${at} (${clientId}): name must be a string of 1-200 characters`);
      return;
    }
    clients.push({ clientId, secretHash, name: typeof name === 'string' ? name : clientId });
  });
  return { clients: problems.length ? [] : clients, problems };
}

export class GatewayConfig extends BaseConfig {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  override PORT = 3000;

  /** Validated in validateTogether so that a bad value is described without being echoed. */
  @IsString()
  @Hint(`Set AUTH_CLIENTS to a JSON array like [{"clientId":"shop","secretHash":"scrypt$...","name":"Shop"}]; ${HASH_HOWTO}`)
  AUTH_CLIENTS = '';

  /** HMAC key for access tokens; never echoed in errors. */
  @IsString()
  AUTH_TOKEN_SECRET = '';

  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(86_400)
  AUTH_TOKEN_TTL_SECONDS = 3600;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(300)
  @Hint('WAIT_MAX_SECONDS caps ?wait= long-polls; keep it below the idle timeout of any proxy in front of the gateway')
  WAIT_MAX_SECONDS = 60;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  RPC_TIMEOUT_MS = 10_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  RETRY_AFTER_SECONDS = 2;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(720)
  @Hint('IDEMPOTENCY_TTL_HOURS: how long a stored response is replayed for its Idempotency-Key')
  IDEMPOTENCY_TTL_HOURS = 24;

  /** When set (> 0), replaces IDEMPOTENCY_TTL_HOURS: for short retention in tests and staging. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2_592_000)
  IDEMPOTENCY_TTL_SECONDS = 0;

  /** A running request's hold on its key; past it a retry may take over (its gateway died). */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(3600)
  IDEMPOTENCY_LEASE_SECONDS = 120;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  @Hint('JSON_BODY_MAX_BYTES caps a JSON request body (after gzip decompression) on ordinary routes; larger bodies get 413')
  JSON_BODY_MAX_BYTES = 1024 * 1024;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  @Hint('BULK_JSON_BODY_MAX_BYTES caps the JSON body (after gzip decompression) of bulk routes: cart items, pending orders, products, JSON imports')
  BULK_JSON_BODY_MAX_BYTES = 32 * 1024 * 1024;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(2_147_483_647)
  @Hint('VOUCHERIFY_UPLOAD_MAX_BYTES caps a Voucherify importCSV file; larger uploads get 413 while streaming')
  VOUCHERIFY_UPLOAD_MAX_BYTES = 200 * 1024 * 1024;

  /** Inflated bytes all JSON_GZIP PendingOrderSummary payloads of one request may produce together. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(4 * 1024 * 1024 * 1024)
  @Hint('PENDING_ORDER_INFLATE_MAX_BYTES: inflated bytes all JSON_GZIP payloads of one request may produce together')
  PENDING_ORDER_INFLATE_MAX_BYTES = 256 * 1024 * 1024;

  /** Time one request may spend inflating JSON_GZIP PendingOrderSummary payloads, all of them together. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(600_000)
  @Hint('PENDING_ORDER_INFLATE_MAX_MS: milliseconds of inflating all JSON_GZIP payloads of one request may take together')
  PENDING_ORDER_INFLATE_MAX_MS = 10_000;

  /** Per-client token bucket, "<requests>/<window>" (window like 10s, 1m, 500ms); see README "Rate limits". */
  @IsString()
  @Hint('RATE_LIMIT_DEFAULT must look like 100/10s (requests per window; window in ms, s, m or h)')
  RATE_LIMIT_DEFAULT = '1000/10s';

  /** JSON object of client id to rate, e.g. {"bulk-loader":"5000/10s"}; validated in validateTogether. */
  @IsString()
  RATE_LIMIT_OVERRIDES = '';

  /** Per caller IP on the unauthenticated token endpoints, where there is no client id yet. */
  @IsString()
  RATE_LIMIT_TOKEN_ENDPOINT = '60/10s';

  /** Buckets live in each replica's memory: with N replicas behind a balancer, set N to keep the configured totals. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  RATE_LIMIT_REPLICAS = 1;

  /** Every request to a protected route per caller address, counted before authentication; see README "Security". */
  @IsString()
  RATE_LIMIT_PER_IP = '3000/10s';

  /** Failed secret checks (each a key derivation) allowed per caller address; then 429 without deriving. */
  @IsString()
  AUTH_FAILURES_PER_IP = '20/1m';

  /** Failed secret checks allowed per client id named in the attempt, from all addresses together. */
  @IsString()
  AUTH_FAILURES_PER_CLIENT = '50/1m';

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  @Hint('APP_KEY_CACHE_SIZE: how many verified X-App-Id/X-App-Token pairs are remembered (least recently used dropped first)')
  APP_KEY_CACHE_SIZE = 10_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  @Hint('OPERATION_CACHE_SIZE: how many operation views one gateway process keeps for status reads (least recently used dropped first)')
  OPERATION_CACHE_SIZE = 10_000;

  /** Bounds how long a view can be served if its change notification was missed; 0 turns the cache off. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  @Hint('OPERATION_CACHE_MAX_AGE_MS: the longest a cached operation view is served before the tracker is asked again (0: never cached)')
  OPERATION_CACHE_MAX_AGE_MS = 2000;

  /** Which peers' X-Forwarded-For/-Proto/-Host are believed: empty (none), a hop count, or addresses/CIDRs. */
  @IsString()
  TRUST_PROXY = '';

  /** The URL clients reach the gateway at; instance_url and links are built from it. Required (https) in production. */
  @IsString()
  PUBLIC_BASE_URL = '';

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(86_400)
  @Hint('QUERY_LOCATOR_TTL_SECONDS: how long an unused SOQL nextRecordsUrl stays valid (Salesforce: 15 minutes)')
  QUERY_LOCATOR_TTL_SECONDS = 900;

  /**
   * Where the gateway reads SOQL pages itself: the database the tracker and order-placement write,
   * on sessions opened read-only, so a query costs one SELECT instead of a call to the owning
   * service (README "SOQL"). Empty: every SOQL page is answered by the owning service over RPC.
   */
  @ValidateIf((c: GatewayConfig) => c.READ_DATABASE_URL !== '')
  @Matches(/^postgres(ql)?:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/, { message: 'must be a postgres:// URL with a database name, or empty' })
  @Hint(
    'Set READ_DATABASE_URL to the database the tracker and order-placement use (e.g. postgres://reader@127.0.0.1:5432/asyncops; a role that may only SELECT is best), or leave it empty to answer SOQL through the owning services',
  )
  READ_DATABASE_URL = '';

  @IntSetting(1, 50, 'READ_DATABASE_POOL_SIZE: connections one gateway process opens to READ_DATABASE_URL for SOQL reads')
  READ_DATABASE_POOL_SIZE = 5;

  /**
   * Memory for SOQL answers kept by one gateway process (with READ_DATABASE_URL; README "SOQL pages
   * from memory"), counted as twice their JSON text; 0 keeps none.
   */
  @IntSetting(0, 1024 * 1024 * 1024, 'SOQL_CACHE_MAX_BYTES: memory one gateway process gives to kept SOQL answers (0: none are kept)')
  SOQL_CACHE_MAX_BYTES = 32 * 1024 * 1024;

  /**
   * The longest a kept SOQL answer is given (each time only after the database says the owner's
   * records did not change). The tracker keeps the change log it is checked against for
   * OWNER_CHANGE_RETENTION_MS (600000), which must stay longer: hence at most 300000.
   */
  @IntSetting(0, 300_000, 'SOQL_CACHE_MAX_AGE_MS: the longest a kept SOQL answer is given, at most 300000 (0: none are kept)')
  SOQL_CACHE_MAX_AGE_MS = 60_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  @Hint('LIVE_STREAMS_PER_CLIENT: live event streams one client may hold open per gateway process')
  LIVE_STREAMS_PER_CLIENT = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  @Hint('LIVE_STREAMS_MAX: live event streams one gateway process holds open in all')
  LIVE_STREAMS_MAX = 5000;

  /** Lets webhooks name loopback/private/link-local targets: local development and tests only, refused in production. */
  @IsIn(['true', 'false'])
  @Hint('WEBHOOK_ALLOW_PRIVATE_TARGETS is true or false; never true in production')
  WEBHOOK_ALLOW_PRIVATE_TARGETS = 'false';

  get idempotencyTtlSeconds(): number {
    return this.IDEMPOTENCY_TTL_SECONDS > 0 ? this.IDEMPOTENCY_TTL_SECONDS : this.IDEMPOTENCY_TTL_HOURS * 3600;
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  /** Outside production with no clients configured, the well-known development client is enabled. */
  get usesDevClient(): boolean {
    return !this.isProduction && this.AUTH_CLIENTS.trim() === '';
  }

  validateTogether(): string[] {
    const problems = [...parseAuthClients(this.AUTH_CLIENTS).problems, ...parseRateLimitSettings(this).problems];
    if (this.AUTH_TOKEN_SECRET !== '' && this.AUTH_TOKEN_SECRET.length < MIN_TOKEN_SECRET_LENGTH) {
      problems.push(
        `AUTH_TOKEN_SECRET: must be at least ${MIN_TOKEN_SECRET_LENGTH} characters (got ${this.AUTH_TOKEN_SECRET.length}); generate one with: openssl rand -base64 48`,
      );
    }
    if (this.isProduction) {
      if (this.AUTH_CLIENTS.trim() === '') {
        problems.push(
          `AUTH_CLIENTS: must list at least one client in production, e.g. [{"clientId":"shop","secretHash":"scrypt$...","name":"Shop"}]; ${HASH_HOWTO}`,
        );
      }
      if (this.AUTH_TOKEN_SECRET === '') {
        problems.push(
          `AUTH_TOKEN_SECRET: must be set in production (at least ${MIN_TOKEN_SECRET_LENGTH} characters, the same on every gateway replica); generate one with: openssl rand -base64 48`,
        );
      }
    }
    return [...problems, ...this.securityProblems()];
  }

  /** The limits before authentication and the deployment behind a proxy (README "Security"). */
  private securityProblems(): string[] {
    const problems = [...parseAuthThrottleSettings(this).problems, ...publicBaseUrlProblems(this), ...webhookTargetConfigProblems(this)];
    const trustProxy = parseTrustProxy(this.TRUST_PROXY).problem;
    if (trustProxy) problems.push(trustProxy);
    return problems;
  }
}
