import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { GatewayConfig } from '../../config';
import { checkIdempotencyKey, decide, requestHash } from './idempotency-decision';
import { IdempotencyKeyReusedError, IdempotencyRequestInProgressError } from './idempotency-errors';
import { IdempotencyStore } from './idempotency.store';

export interface IdempotentRequest {
  /** The authenticated client: keys are scoped to it, so two clients never collide. */
  clientId: string;
  /** The header's value; undefined when the request carried none. */
  key: string | undefined;
  method: string;
  path: string;
  body: unknown;
}

export interface StoredResponse<T = unknown> {
  status: number;
  body: T;
}

export interface IdempotentOutcome<T> extends StoredResponse<T> {
  replayed: boolean;
}

const SWEEP_EVERY_MS = 10 * 60_000;
const SWEEP_BATCH = 5000;

/**
 * Idempotency-Key handling for any POST: the first answer under a key is stored and replayed to
 * retries for IDEMPOTENCY_TTL_HOURS (or IDEMPOTENCY_TTL_SECONDS); the same key with a different request is refused (422),
 * and while the first is still running retries get 409. `work` receives an execution id that is
 * stable across retries of one key, so work keyed on it (a job id) happens once even when an
 * attempt failed after it committed downstream.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(IdempotencyService.name);
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly config: GatewayConfig,
  ) {}

  async run<T>(req: IdempotentRequest, work: (executionId: string) => Promise<StoredResponse<T>>): Promise<IdempotentOutcome<T>> {
    if (req.key === undefined) return { ...(await work(randomUUID())), replayed: false };
    checkIdempotencyKey(req.key);
    const claim = {
      clientId: req.clientId,
      key: req.key,
      requestHash: requestHash(req.method, req.path, req.body),
      newExecutionId: randomUUID(),
      ttlSeconds: this.config.idempotencyTtlSeconds,
      leaseSeconds: this.config.IDEMPOTENCY_LEASE_SECONDS,
    };
    let executionId: string | null = (await this.store.insert(claim)) ? claim.newExecutionId : null;
    // A key that exists: replay, refuse, or take over a dead attempt. Losing a takeover race
    // means another request now runs it, so looking again gives the right answer.
    for (let attempt = 0; !executionId && attempt < 3; attempt++) {
      const found = await this.store.find(req.clientId, req.key);
      if (!found) {
        if (await this.store.insert(claim)) executionId = claim.newExecutionId;
        continue;
      }
      const d = decide(found.record, claim.requestHash, found.now);
      if (d.kind === 'replay') return { status: d.status, body: d.body as T, replayed: true };
      if (d.kind === 'mismatch') throw new IdempotencyKeyReusedError();
      if (d.kind === 'in-progress') throw new IdempotencyRequestInProgressError(this.config.RETRY_AFTER_SECONDS);
      executionId = await this.store.takeOver(claim);
    }
    if (!executionId) throw new IdempotencyRequestInProgressError(this.config.RETRY_AFTER_SECONDS);
    let response: StoredResponse<T>;
    try {
      response = await work(executionId);
    } catch (e) {
      // No answer to store: a retry runs the request again, under the same execution id.
      await this.store.fail(req.clientId, req.key, executionId).catch((err: Error) => this.log.warn({ msg: 'could not release idempotency key', error: err.message, event: 'idempotency-release-failed' }));
      throw e;
    }
    await this.store.complete(req.clientId, req.key, executionId, response.status, response.body);
    return { ...response, replayed: false };
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  private async sweep(): Promise<void> {
    if (!this.store.ready) return;
    try {
      const deleted = await this.store.sweep(SWEEP_BATCH);
      if (deleted) this.log.log({ msg: 'expired idempotency records deleted', deleted, event: 'idempotency-swept' });
    } catch (e) {
      this.log.warn({ msg: 'idempotency sweep failed', error: (e as Error).message, event: 'idempotency-sweep-failed' });
    }
  }
}
