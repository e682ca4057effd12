import { OnApplicationShutdown } from '@nestjs/common';
import { SoqlQueryRequest, SoqlQueryResponse } from '@asyncops/contracts';
import { ArrayQuery, createReadOnlyPool, poolArrayQuery } from '@asyncops/persistence';
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
 */
export class SoqlReads implements OnApplicationShutdown {
  private readonly executor = new SoqlExecutor(SOQL_OBJECTS_STORED);

  constructor(
    private readonly run: ArrayQuery | undefined,
    private readonly retryAfterSeconds: number,
    private readonly close: () => Promise<void> = async () => undefined,
  ) {}

  static fromConfig(config: GatewayConfig): SoqlReads {
    if (config.READ_DATABASE_URL === '') return new SoqlReads(undefined, config.RETRY_AFTER_SECONDS);
    const pool = createReadOnlyPool({
      url: config.READ_DATABASE_URL,
      max: config.READ_DATABASE_POOL_SIZE,
      statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
      applicationName: 'asyncops-gateway-soql',
    });
    return new SoqlReads(poolArrayQuery(pool), config.RETRY_AFTER_SECONDS, () => pool.end());
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

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
