import { OnApplicationShutdown } from '@nestjs/common';
import { SoqlQueryRequest, SoqlQueryResponse } from '@asyncops/contracts';
import { ArrayQuery, createReadOnlyPool, poolArrayQuery } from '@asyncops/persistence';
import { soqlCacheLookups } from '@asyncops/platform';
import {
  ASYNC_OPERATION_TRACKER,
  asyncOperationTrackerStorage,
  ORDER_PLACEMENT_SCHEMA,
  ORDER_SUMMARY,
  orderSummaryStorage,
  OwnedObject,
  PENDING_ORDER_SUMMARY_OBJECT,
  pendingOrderSummaryStorage,
  QueryPlan,
  QueryPlanError,
  SoqlExecutor,
  TRACKER_SCHEMA,
} from '@asyncops/soql';
import { GatewayConfig } from '../../../config';
import { BadRequestError, ServiceUnavailableError } from '../../../core/errors/gateway-errors';
import { ChangeCheck, ChangeChecks } from './change-checks';
import { SoqlPageCache } from './soql-page-cache';

/** The objects SOQL reaches, stored exactly as their owners run them (tracker, order-placement). */
export const SOQL_OBJECTS_STORED: readonly OwnedObject[] = [
  { description: ASYNC_OPERATION_TRACKER, storage: asyncOperationTrackerStorage(TRACKER_SCHEMA) },
  { description: PENDING_ORDER_SUMMARY_OBJECT, storage: pendingOrderSummaryStorage(`"${ORDER_PLACEMENT_SCHEMA}"`) },
  { description: ORDER_SUMMARY, storage: orderSummaryStorage(`"${ORDER_PLACEMENT_SCHEMA}"`) },
];

/**
 * SOQL pages read by the gateway itself when READ_DATABASE_URL is set: the owners' SoqlExecutor
 * (the same check, the same owner scoping, the same statements, paging by snapshot and totals)
 * over a small pool whose sessions cannot write. A query costs one SELECT instead of a broker
 * round trip and the owner's work. Plans that write (FOR VIEW sets view dates, in the tracker's
 * transaction) stay with the owning service, and so does everything without READ_DATABASE_URL.
 * Reads see committed rows, so a client reads its own writes as through the owner.
 *
 * Complete first pages and aggregates of objects whose owner keeps a change log are also kept in
 * memory (SoqlPageCache) and given again after a check that the owner's records did not change
 * (`kept`): a repeated query then costs that check, shared by the requests of the moment, instead
 * of its SELECT, the records' formatting and their serialisation.
 */
export class SoqlReads implements OnApplicationShutdown {
  private readonly executor = new SoqlExecutor(SOQL_OBJECTS_STORED);
  /** Per object with a change log: its checks (batched, see ChangeChecks). */
  private readonly changeChecks: ReadonlyMap<string, ChangeChecks>;

  constructor(
    private readonly run: ArrayQuery | undefined,
    private readonly retryAfterSeconds: number,
    private readonly close: () => Promise<void> = async () => undefined,
    private readonly cache: SoqlPageCache<object> = new SoqlPageCache(0, 0),
  ) {
    this.changeChecks = new Map(
      run ? SOQL_OBJECTS_STORED.flatMap((o) => (o.storage.changeLog ? [[o.description.name, new ChangeChecks(run, o.storage.changeLog)] as const] : [])) : [],
    );
  }

  static fromConfig(config: GatewayConfig): SoqlReads {
    if (config.READ_DATABASE_URL === '') return new SoqlReads(undefined, config.RETRY_AFTER_SECONDS);
    const cache = new SoqlPageCache<object>(config.SOQL_CACHE_MAX_BYTES, config.SOQL_CACHE_MAX_AGE_MS);
    const pool = createReadOnlyPool({
      url: config.READ_DATABASE_URL,
      max: config.READ_DATABASE_POOL_SIZE,
      statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
      applicationName: 'asyncops-gateway-soql',
    });
    return new SoqlReads(poolArrayQuery(pool), config.RETRY_AFTER_SECONDS, () => pool.end(), cache);
  }

  /** Whether the gateway answers this plan itself: a read database is configured and the plan writes nothing. */
  answers(plan: QueryPlan): boolean {
    return this.run !== undefined && !plan.forView;
  }

  /**
   * The page the owner would answer for the same request. A plan the executor refuses is a 400
   * (as the owner's refusal is); a database that cannot answer (down, refusing, too slow) is a 503
   * with Retry-After, as an unreachable owner is.
   */
  async page(request: SoqlQueryRequest): Promise<SoqlQueryResponse> {
    if (!this.run) throw new Error('SoqlReads.page without READ_DATABASE_URL');
    try {
      return await this.executor.page(this.run, request);
    } catch (e) {
      if (e instanceof QueryPlanError) throw new BadRequestError(e.message);
      throw new ServiceUnavailableError(this.retryAfterSeconds, e);
    }
  }

  /**
   * Whether answers to this plan may be kept (`kept`): the gateway reads it itself, the cache is on,
   * and the object's owner records which transactions changed whose records (a change log).
   */
  keeps(plan: QueryPlan): boolean {
    return this.answers(plan) && this.cache.enabled && this.changeChecks.has(plan.object);
  }

  /**
   * The answer `read` gives for `key`, an answer about the records of `ownerId` in `plan.object`,
   * kept in memory and given again for as long as no transaction that changed the owner's records
   * has committed since it was read. A check sent after the request arrived decides (ChangeChecks,
   * batched with the checks of other requests): it takes the current snapshot and asks the object's
   * change log whether a committed change of the owner's has a transaction id the kept answer's
   * snapshot did not see. The snapshot a new answer is kept under is taken before `read` runs, so a
   * change committing in between makes the next request read again (never the reverse). `keep` says whether an answer is worth keeping (a complete page). A client therefore
   * reads its own writes as without the cache: its write committed before its read began.
   */
  async kept<T extends object>(plan: QueryPlan, ownerId: string, key: string, read: () => Promise<T>, keep: (value: T) => boolean): Promise<T> {
    const checks = this.changeChecks.get(plan.object);
    if (!checks || !this.cache.enabled) return read();
    const askedAt = this.cache.clock();
    const known = this.cache.get(key);
    let check: ChangeCheck;
    try {
      check = await checks.check(ownerId, known ? known.snapshot : null);
    } catch {
      // Without a check nothing kept may be given, but a fresh read is always right: answer it, keep nothing.
      soqlCacheLookups.inc({ outcome: 'unchecked' });
      return read();
    }
    if (known && !check.changed) {
      soqlCacheLookups.inc({ outcome: 'hit' });
      return known.value as T;
    }
    soqlCacheLookups.inc({ outcome: known ? 'changed' : 'miss' });
    const value = await read();
    if (keep(value)) this.cache.set(key, { snapshot: check.snapshot, value }, askedAt);
    else this.cache.delete(key);
    return value;
  }

  /** How many answers are kept and their approximate memory (metrics, tests). */
  cacheUse(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.usedBytes };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

