import { createInterface } from 'node:readline';
import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { checkPendingOrderInput, InflateBudget, MAX_PENDING_ORDERS_PER_REQUEST, PendingOrderRecord } from '@asyncops/contracts';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { ValidationFailedError } from '../../../core/errors/gateway-errors';
import { GatewayConfig } from '../../../config';
import type { SalesforceErrorBody } from '../errors/salesforce-error';
import { PendingOrdersClient } from './pending-orders.client';
import { saveResultOf } from './pending-order-summary.record';
import { Idempotent } from '../../../core/idempotency/idempotent.decorator';

/** The most orders one bulk request may carry; the body limit bounds their payloads too. */
export const MAX_BULK_PENDING_ORDERS = 10_000;
/** An NDJSON line longer than this cannot be a valid record (the payload cap plus the other fields). */
const MAX_NDJSON_LINE = 160_000;
/** Payload characters per RPC message: large payloads make smaller chunks, so broker messages stay a few MB. */
const MAX_PAYLOAD_CHARS_PER_CHUNK = 8_000_000;
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

export interface BulkResult {
  index: number;
  id: string | null;
  success: boolean;
  errors: SalesforceErrorBody[];
}

/**
 * High-scale ingestion in one request: each order is checked on its own and answered on its own,
 * as Salesforce's collection create does with allOrNone=false. Valid orders go to order-placement
 * in chunks, so a request of thousands costs a handful of round trips and multi-row inserts.
 */
@ApiTags('pending orders')
@Controller('api/v1/pending-orders')
export class PendingOrdersBulkController {
  constructor(
    private readonly pending: PendingOrdersClient,
    private readonly config: GatewayConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary:
      'Ingest PendingOrderSummary records in bulk: a JSON array of records under their Salesforce API names, or application/x-ndjson (one record per line, read as a stream); answers per record',
  })
  async ingest(@Body() body: unknown, @Req() req: Request, @AuthenticatedClientId() clientId: string): Promise<{ hasErrors: boolean; results: BulkResult[] }> {
    // One budget for the whole request: past it, further gzip records are refused one by one.
    const batch = new IngestBatch(this.pending, clientId, new InflateBudget(this.config.PENDING_ORDER_INFLATE_MAX_BYTES, this.config.PENDING_ORDER_INFLATE_MAX_MS));
    if (req.is(NDJSON_CONTENT_TYPE)) {
      // Streamed: at most two RPC chunks of checked records are held (one being written), whatever the body's size.
      let index = 0;
      const lines = createInterface({ input: req, crlfDelay: Infinity });
      // readline buffers a line until its newline: stop reading once a line cannot be a record.
      let sinceNewline = 0;
      let overlong = false;
      req.on('data', (chunk: Buffer) => {
        const nl = chunk.lastIndexOf(10);
        sinceNewline = nl < 0 ? sinceNewline + chunk.length : chunk.length - nl - 1;
        if (sinceNewline > MAX_NDJSON_LINE * 4 && !overlong) {
          overlong = true;
          lines.close();
        }
      });
      for await (const line of lines) {
        if (line.trim() === '') continue;
        if (index >= MAX_BULK_PENDING_ORDERS) throw tooMany();
        await batch.add(index++, parseLine(line));
      }
      if (overlong) throw new ValidationFailedError([{ field: `records[${index}]`, rule: 'maxLength', message: `an NDJSON line is longer than ${MAX_NDJSON_LINE} characters` }]);
      if (index === 0) throw tooMany();
    } else {
      const records = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { records?: unknown }).records) ? (body as { records: unknown[] }).records : undefined;
      if (!records) throw new ValidationFailedError([{ field: 'body', rule: 'isArray', message: `body must be a JSON array of records, {"records": [...]}, or ${NDJSON_CONTENT_TYPE}` }]);
      if (records.length === 0 || records.length > MAX_BULK_PENDING_ORDERS) throw tooMany();
      for (const [index, raw] of records.entries()) await batch.add(index, raw);
    }
    const results = await batch.finish();
    return { hasErrors: results.some((r) => !r.success), results };
  }
}

const tooMany = () => new ValidationFailedError([{ field: 'records', rule: 'arraySize', message: `send 1..${MAX_BULK_PENDING_ORDERS} orders` }]);

/** A line that is not JSON is that record's error, not the request's. */
function parseLine(line: string): unknown {
  if (line.length > MAX_NDJSON_LINE) return new LineError(`the line is longer than ${MAX_NDJSON_LINE} characters`);
  try {
    return JSON.parse(line);
  } catch {
    return new LineError('the line is not valid JSON');
  }
}

class LineError {
  constructor(readonly message: string) {}
}

/**
 * Checks records one by one and sends the valid ones to order-placement a chunk at a time. The
 * next chunk is checked while the previous one is being written; chunks are still sent one after
 * another, so within a request the first occurrence of an identifier is the one stored.
 */
class IngestBatch {
  private readonly results: BulkResult[] = [];
  private pending: Array<{ index: number; record: PendingOrderRecord }> = [];
  private pendingChars = 0;
  /** The chunk being written, if any; it records a failure instead of rejecting unobserved. */
  private inflight: Promise<void> = Promise.resolve();
  private failure?: { error: unknown };

  constructor(
    private readonly client: PendingOrdersClient,
    private readonly ownerId: string,
    private readonly budget: InflateBudget,
  ) {}

  async add(index: number, raw: unknown): Promise<void> {
    if (this.failure) throw this.failure.error;
    if (raw instanceof LineError) {
      this.results.push({ index, id: null, success: false, errors: [{ errorCode: 'JSON_PARSER_ERROR', message: raw.message }] });
      return;
    }
    const checked = await checkPendingOrderInput(raw, this.budget);
    if (!checked.ok) {
      this.results.push({ index, id: null, success: false, errors: checked.errors });
      return;
    }
    this.pending.push({ index, record: checked.value });
    this.pendingChars += checked.value.payload.length;
    if (this.pending.length >= MAX_PENDING_ORDERS_PER_REQUEST || this.pendingChars >= MAX_PAYLOAD_CHARS_PER_CHUNK) await this.flush();
  }

  async finish(): Promise<BulkResult[]> {
    await this.flush();
    await this.settled();
    return this.results.sort((a, b) => a.index - b.index);
  }

  /** Sends the checked records once the previous chunk is answered, without waiting for this one. */
  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const part = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    await this.settled();
    this.inflight = this.client.ingest({ ownerId: this.ownerId, orders: part.map((p) => p.record) }).then(
      ({ outcomes }) => outcomes.forEach((o, j) => this.results.push({ index: part[j].index, ...saveResultOf(o) })),
      (error: unknown) => {
        this.failure = { error };
      },
    );
  }

  private async settled(): Promise<void> {
    await this.inflight;
    if (this.failure) throw this.failure.error;
  }
}
