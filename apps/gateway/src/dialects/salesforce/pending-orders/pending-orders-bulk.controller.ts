import { createInterface } from 'node:readline';
import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { checkPendingOrderInput, IngestOutcome, InflateBudget, MAX_PENDING_ORDERS_PER_REQUEST, PendingOrderRecord } from '@asyncops/contracts';
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
/** Chunks of one request being written at once: one's statements overlap the next one's decoding and checks. */
export const MAX_CHUNKS_IN_FLIGHT = 2;
/** The first chunk of a request goes out at this size, so order-placement starts while the rest is checked. */
export const FIRST_CHUNK_RECORDS = 250;
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
      // Streamed: at most MAX_CHUNKS_IN_FLIGHT + 1 RPC chunks of checked records are held (all but one being written), whatever the body's size.
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
 * Checks records one by one and sends the valid ones to order-placement a chunk at a time, up to
 * `MAX_CHUNKS_IN_FLIGHT` at once while the next one is checked. Within a request the first occurrence
 * of an identifier is the one sent and stored: a later one is never sent, and is answered from the
 * first one's outcome as order-placement answers a repeat (a duplicate of the record the first
 * created, or of the record the first was itself a duplicate of).
 */
class IngestBatch {
  private readonly results: BulkResult[] = [];
  private pending: Array<{ index: number; record: PendingOrderRecord }> = [];
  private pendingChars = 0;
  private sent = 0;
  /** Chunks being written; each records a failure instead of rejecting unobserved. */
  private inflight: Array<Promise<void>> = [];
  private failure?: { error: unknown };
  /** The index of each identifier's first valid occurrence, and the outcome order-placement gave it. */
  private readonly firstOf = new Map<string, number>();
  private readonly outcomeOf = new Map<number, IngestOutcome>();
  private readonly repeats: Array<{ index: number; first: number }> = [];

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
    const first = this.firstOf.get(checked.value.externalReferenceIdentifier);
    if (first !== undefined) {
      this.repeats.push({ index, first });
      return;
    }
    this.firstOf.set(checked.value.externalReferenceIdentifier, index);
    this.pending.push({ index, record: checked.value });
    this.pendingChars += checked.value.payload.length;
    const size = this.sent === 0 ? FIRST_CHUNK_RECORDS : MAX_PENDING_ORDERS_PER_REQUEST;
    if (this.pending.length >= size || this.pendingChars >= MAX_PAYLOAD_CHARS_PER_CHUNK) await this.flush();
  }

  async finish(): Promise<BulkResult[]> {
    await this.flush();
    await this.settled(0);
    for (const { index, first } of this.repeats) {
      const outcome = this.outcomeOf.get(first) as IngestOutcome;
      const duplicateOf = outcome.ok ? { object: 'PendingOrderSummary' as const, number: outcome.number } : outcome.duplicateOf;
      this.results.push({ index, ...saveResultOf({ ok: false, errorCode: 'DUPLICATE_VALUE', duplicateOf }) });
    }
    return this.results.sort((a, b) => a.index - b.index);
  }

  /** Sends the checked records once fewer than `MAX_CHUNKS_IN_FLIGHT` chunks are being written, without waiting for this one. */
  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const part = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    this.sent += 1;
    await this.settled(MAX_CHUNKS_IN_FLIGHT - 1);
    const chunk: Promise<void> = this.client.ingest({ ownerId: this.ownerId, orders: part.map((p) => p.record) }).then(
      ({ outcomes }) =>
        outcomes.forEach((o, j) => {
          this.outcomeOf.set(part[j].index, o);
          this.results.push({ index: part[j].index, ...saveResultOf(o) });
        }),
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    const tracked: Promise<void> = chunk.finally(() => {
      this.inflight = this.inflight.filter((c) => c !== tracked);
    });
    this.inflight.push(tracked);
  }

  /** Waits until at most `atMost` chunks are being written; throws a chunk's failure. */
  private async settled(atMost: number): Promise<void> {
    while (this.inflight.length > atMost) await Promise.race(this.inflight);
    if (this.failure) throw this.failure.error;
  }
}
