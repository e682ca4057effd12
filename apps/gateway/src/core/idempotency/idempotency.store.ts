import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdempotencyRecord } from './idempotency-decision';

const T = '"gateway"."idempotency_record"';

/** TypeORM answers UPDATE and DELETE on PostgreSQL with [rows, rowCount], other statements with rows. */
function returned<R>(result: unknown): R[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as R[];
  return result as R[];
}

interface RecordRow {
  request_hash: string;
  state: IdempotencyRecord['state'];
  execution_id: string;
  response_status: number | null;
  response_body: unknown;
  locked_until: Date;
  expires_at: Date;
  db_now: Date;
}

export interface ClaimRequest {
  clientId: string;
  key: string;
  requestHash: string;
  /** Used when the claim starts a new execution. */
  newExecutionId: string;
  ttlSeconds: number;
  leaseSeconds: number;
}

/**
 * The idempotency records in PostgreSQL. Every decision that two replicas could race on is a
 * single conditional statement, so exactly one of them wins: INSERT … ON CONFLICT DO NOTHING
 * for a fresh key, a guarded UPDATE for taking over an expired, failed or abandoned one.
 */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a running record; returns false when the key is already taken. */
  async insert(r: ClaimRequest): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO ${T} ("client_id", "idempotency_key", "request_hash", "state", "execution_id", "locked_until", "expires_at")
       VALUES ($1, $2, $3, 'running', $4, now() + make_interval(secs => $5), now() + make_interval(secs => $6))
       ON CONFLICT ("client_id", "idempotency_key") DO NOTHING RETURNING 1`,
      [r.clientId, r.key, r.requestHash, r.newExecutionId, r.leaseSeconds, r.ttlSeconds],
    );
    return rows.length === 1;
  }

  async find(clientId: string, key: string): Promise<{ record: IdempotencyRecord; now: Date } | null> {
    const [row]: RecordRow[] = await this.dataSource.query(`SELECT *, now() AS "db_now" FROM ${T} WHERE "client_id" = $1 AND "idempotency_key" = $2`, [clientId, key]);
    if (!row) return null;
    return {
      now: row.db_now,
      record: {
        requestHash: row.request_hash,
        state: row.state,
        executionId: row.execution_id,
        responseStatus: row.response_status,
        responseBody: row.response_body,
        lockedUntil: row.locked_until,
        expiresAt: row.expires_at,
      },
    };
  }

  /**
   * Takes over a record that may be run again; returns the execution id to use, or null when
   * another request took it first. An expired record starts afresh (new id, new expiry); a
   * failed or abandoned attempt of the same request keeps its id.
   */
  async takeOver(r: ClaimRequest): Promise<string | null> {
    const result: unknown = await this.dataSource.query(
      `UPDATE ${T} SET
          "execution_id" = CASE WHEN "expires_at" <= now() THEN $4::uuid ELSE "execution_id" END,
          "expires_at" = CASE WHEN "expires_at" <= now() THEN now() + make_interval(secs => $6) ELSE "expires_at" END,
          "created_at" = CASE WHEN "expires_at" <= now() THEN now() ELSE "created_at" END,
          "request_hash" = $3, "state" = 'running', "response_status" = NULL, "response_body" = NULL, "completed_at" = NULL,
          "locked_until" = now() + make_interval(secs => $5)
        WHERE "client_id" = $1 AND "idempotency_key" = $2
          AND ("expires_at" <= now() OR ("request_hash" = $3 AND ("state" = 'failed' OR ("state" = 'running' AND "locked_until" <= now()))))
        RETURNING "execution_id"`,
      [r.clientId, r.key, r.requestHash, r.newExecutionId, r.leaseSeconds, r.ttlSeconds],
    );
    return returned<{ execution_id: string }>(result)[0]?.execution_id ?? null;
  }

  /** Stores the answer; only the attempt that holds the record can. */
  async complete(clientId: string, key: string, executionId: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${T} SET "state" = 'completed', "response_status" = $4, "response_body" = $5, "completed_at" = now()
        WHERE "client_id" = $1 AND "idempotency_key" = $2 AND "execution_id" = $3 AND "state" = 'running'`,
      [clientId, key, executionId, status, JSON.stringify(body ?? null)],
    );
  }

  async fail(clientId: string, key: string, executionId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${T} SET "state" = 'failed', "locked_until" = now() WHERE "client_id" = $1 AND "idempotency_key" = $2 AND "execution_id" = $3 AND "state" = 'running'`,
      [clientId, key, executionId],
    );
  }

  /** Deletes up to `limit` expired records; returns how many. */
  async sweep(limit: number): Promise<number> {
    const result: unknown = await this.dataSource.query(
      `DELETE FROM ${T} WHERE ("client_id", "idempotency_key") IN (SELECT "client_id", "idempotency_key" FROM ${T} WHERE "expires_at" <= now() LIMIT $1) RETURNING 1`,
      [limit],
    );
    return returned(result).length;
  }

  get ready(): boolean {
    return this.dataSource.isInitialized;
  }
}
