import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  accountMatchingOf,
  ConversionOutcome,
  ConvertPendingOrdersCommand,
  decodeAdmittedPendingOrderPayload,
  encodeRecordId,
  ExchangeRole,
  IngestOutcome,
  IngestPendingOrdersRequest,
  IngestPendingOrdersResult,
  MAX_PENDING_ORDER_NUMBERS_PER_COMMAND,
  ORDER_SUMMARY_KEY_PREFIX,
  PayloadError,
  PayloadType,
  PendingOrderCommands,
  PendingOrderEvents,
  PendingOrderProcessed,
  PendingOrderView,
} from '@asyncops/contracts';
import { OutboxWriter } from '@asyncops/messaging';
import { nameBasedMessageId } from '../message-ids';
import { numberArray, textArray } from './storage/array-literals';
import { jsonRows } from './storage/json-rows';
import { SCHEMA } from '../orders/order-row';
import { accountMatchKey } from './conversion/account-matching';
import { OrderItemLine, orderItemsOf, totalOf } from './conversion/order-items';
import { ConversionError, IngestRaceError, PendingOrderNotFoundError } from './pending-order-errors';

/**
 * Pending records per conversion message: enough to amortise a transaction and its statements,
 * small enough to spread over consumers; the most a convert command may carry.
 */
export const CONVERSION_CHUNK = MAX_PENDING_ORDER_NUMBERS_PER_COMMAND;

/**
 * Conversion messages one process handles at once. Each holds a pooled connection for its
 * transaction and is mostly CPU (decoding, amounts, rows) on one event loop: beyond a few, more only
 * queue for the pool, where ingest requests then wait behind them. Measured on 2 cores at load 1-4
 * (pending-orders bench, ingest + conversion of 10,000 orders): 2 → 0.41-0.42× the raw INSERT,
 * 4 → 0.42-0.46×, 6 → 0.48-0.49×, 8 → 0.43-0.49×.
 */
export const CONVERSION_CONCURRENCY = 6;

/** Decoding runs synchronously; past this much of it in a row, triage lets the event loop turn. */
const TRIAGE_SLICE_MS = 10;

export interface PendingRow {
  number: string;
  owner_id: string;
  external_reference_identifier: string;
  order_number: string;
  ordered_date: Date;
  shopper_name: string;
  billing_email_address: string;
  billing_phone_number: string | null;
  currency_iso_code: string;
  grand_total_amount: string;
  description: string | null;
  payload: string;
  payload_type: PayloadType;
  processing_instructions: string | null;
  sales_channel_id: string | null;
  sales_store_id: string | null;
  account_number: string | null;
  bill_to_contact_number: string | null;
  created_at: Date;
  last_error_code: string | null;
  last_error_message: string | null;
}

/** What conversion reads of a locked pending record: the rest is copied by the statement that writes the summary. */
export type ConvertingRow = Pick<
  PendingRow,
  'number' | 'external_reference_identifier' | 'shopper_name' | 'billing_email_address' | 'billing_phone_number' | 'payload' | 'payload_type' | 'processing_instructions'
>;

const CONVERTING_COLUMNS = '"number", "external_reference_identifier", "shopper_name", "billing_email_address", "billing_phone_number", "payload", "payload_type", "processing_instructions"';

interface Convertible {
  row: ConvertingRow;
  lines: OrderItemLine[];
  matchKey: string;
}

interface Failure {
  row: ConvertingRow;
  error: ConversionError;
  /** Absent when the shopper could not be matched at all (unreadable processing instructions). */
  matchKey?: string;
}

/**
 * Sorts locked pending records into those that convert and those that fail, with a reason. Every
 * record whose shopper can be matched is among `shoppers`: a failing order gets its account too,
 * so a pending record shows its account while someone services it.
 */
export async function triage(rows: readonly ConvertingRow[]): Promise<{ good: Convertible[]; failures: Failure[]; shoppers: Array<{ row: ConvertingRow; matchKey: string }> }> {
  const failures: Failure[] = [];
  const good: Convertible[] = [];
  const shoppers: Array<{ row: ConvertingRow; matchKey: string }> = [];
  let sliceStart = performance.now();
  for (const row of rows) {
    if (performance.now() - sliceStart > TRIAGE_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    let matchKey: string | undefined;
    try {
      matchKey = accountMatchKey(accountMatchingOf(row.processing_instructions), { name: row.shopper_name, email: row.billing_email_address, phone: row.billing_phone_number });
      shoppers.push({ row, matchKey });
      // Admitted at ingest, so inflated within the cap then: one synchronous call, bounded by the cap.
      const lines = orderItemsOf(decodeAdmittedPendingOrderPayload(row.payload, row.payload_type));
      good.push({ row, lines, matchKey });
    } catch (e) {
      if (e instanceof PayloadError) failures.push({ row, matchKey, error: new ConversionError(e.code, e.message) });
      else if (e instanceof ConversionError) failures.push({ row, matchKey, error: e });
      else if (e instanceof SyntaxError) failures.push({ row, error: new ConversionError('INVALID_PROCESSING_INSTRUCTIONS', 'ProcessingInstructions: not valid JSON') });
      else throw e;
    }
  }
  return { good, failures, shoppers };
}

/** The `pending-order.processed` event of one conversion attempt's outcome. */
export function processedEventOf(ownerId: string, o: ConversionOutcome & { pending: number }, processedAt: string): PendingOrderProcessed {
  return {
    ownerId,
    pendingOrderSummaryNumber: o.pending,
    IsSuccess: o.isSuccess,
    ExternalReferenceIdentifier: o.externalReferenceIdentifier,
    processedAt,
    ...(o.orderSummaryNumber !== null ? { OrderSummaryId: encodeRecordId(ORDER_SUMMARY_KEY_PREFIX, o.orderSummaryNumber) } : {}),
    ...(o.errorCode !== null ? { ErrorCode: o.errorCode, ErrorMessage: o.errorMessage as string } : {}),
  };
}

const chunks = <T>(xs: readonly T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));

/**
 * High-scale order ingestion (seed 002). Ingestion is one multi-row INSERT … ON CONFLICT per
 * request, so the unique index decides duplicates even between concurrent requests. Conversion
 * runs a chunk per message, set-based, inside the message's deduplicating transaction: a
 * redelivery finds converted records gone (and their OrderSummary present) and does nothing twice.
 */
@Injectable()
export class PendingOrdersService {
  private readonly log = new Logger(PendingOrdersService.name);

  async ingest(m: EntityManager, outbox: OutboxWriter, req: IngestPendingOrdersRequest): Promise<IngestPendingOrdersResult> {
    const firstIndex = new Map<string, number>();
    req.orders.forEach((o, i) => {
      if (!firstIndex.has(o.externalReferenceIdentifier)) firstIndex.set(o.externalReferenceIdentifier, i);
    });
    const fresh = req.orders.filter((o, i) => firstIndex.get(o.externalReferenceIdentifier) === i);
    // One JSON parameter expanded by PostgreSQL: absent optional fields read as NULL.
    const inserted: Array<{ number: string; external_reference_identifier: string }> = await m.query(
      `INSERT INTO ${SCHEMA}."pending_order_summary" ("owner_id", "external_reference_identifier", "order_number", "ordered_date", "shopper_name",
         "billing_email_address", "billing_phone_number", "currency_iso_code", "grand_total_amount", "description", "payload", "payload_type",
         "processing_instructions", "sales_channel_id", "sales_store_id")
       SELECT $1, r.* FROM json_to_recordset($2::json) AS r("externalReferenceIdentifier" text, "orderNumber" text, "orderedDate" timestamptz, "shopperName" text,
         "billingEmailAddress" text, "billingPhoneNumber" text, "currencyIsoCode" text, "grandTotalAmount" numeric, "description" text, "payload" text,
         "payloadType" text, "processingInstructions" text, "salesChannelId" text, "salesStoreId" text)
       ON CONFLICT ("owner_id", "external_reference_identifier") DO NOTHING
       RETURNING "number", "external_reference_identifier"`,
      [req.ownerId, jsonRows(fresh)],
    );
    const created = new Map(inserted.map((r) => [r.external_reference_identifier, Number(r.number)]));
    // An identifier already converted has no pending record left, but is a duplicate all the same.
    const converted = new Map<string, number>();
    if (created.size) {
      const rows: Array<{ number: string; external_reference_identifier: string }> = await m.query(
        `SELECT "number", "external_reference_identifier" FROM ${SCHEMA}."order_summary" WHERE "owner_id" = $1 AND "external_reference_identifier" = ANY($2::text[])`,
        [req.ownerId, [...created.keys()]],
      );
      for (const r of rows) converted.set(r.external_reference_identifier, Number(r.number));
      if (converted.size) {
        await m.query(`DELETE FROM ${SCHEMA}."pending_order_summary" WHERE "number" = ANY($1::bigint[])`, [[...converted.keys()].map((k) => created.get(k))]);
        for (const k of converted.keys()) created.delete(k);
      }
    }
    const others = [...firstIndex.keys()].filter((k) => !created.has(k) && !converted.has(k));
    const existing = new Map<string, number>();
    if (others.length) {
      const rows: Array<{ number: string; external_reference_identifier: string; kind: string }> = await m.query(
        `SELECT "number", "external_reference_identifier" FROM ${SCHEMA}."pending_order_summary" WHERE "owner_id" = $1 AND "external_reference_identifier" = ANY($2::text[])`,
        [req.ownerId, others],
      );
      for (const r of rows) existing.set(r.external_reference_identifier, Number(r.number));
      const gone = others.filter((k) => !existing.has(k));
      if (gone.length) {
        const done: Array<{ number: string; external_reference_identifier: string }> = await m.query(
          `SELECT "number", "external_reference_identifier" FROM ${SCHEMA}."order_summary" WHERE "owner_id" = $1 AND "external_reference_identifier" = ANY($2::text[])`,
          [req.ownerId, gone],
        );
        for (const r of done) converted.set(r.external_reference_identifier, Number(r.number));
        const lost = gone.find((k) => !converted.has(k));
        if (lost !== undefined) throw new IngestRaceError(lost);
      }
    }
    const outcomes: IngestOutcome[] = req.orders.map((o, i) => {
      const k = o.externalReferenceIdentifier;
      if (firstIndex.get(k) === i && created.has(k)) return { ok: true, number: created.get(k) as number };
      if (converted.has(k)) return { ok: false, errorCode: 'DUPLICATE_VALUE', duplicateOf: { object: 'OrderSummary', number: converted.get(k) as number } };
      const number = created.get(k) ?? existing.get(k);
      return { ok: false, errorCode: 'DUPLICATE_VALUE', duplicateOf: { object: 'PendingOrderSummary', number: number as number } };
    });
    const numbers = [...created.values()].sort((a, b) => a - b);
    await outbox.add(
      ...chunks(numbers, CONVERSION_CHUNK).map((part) => ({
        exchange: ExchangeRole.Commands,
        routingKey: PendingOrderCommands.Convert,
        body: { ownerId: req.ownerId, numbers: part } satisfies ConvertPendingOrdersCommand,
        messageId: nameBasedMessageId(`convert-pending:${req.ownerId}:${part[0]}:${part[part.length - 1]}`),
      })),
    );
    this.log.log({ msg: 'pending orders ingested', ownerId: req.ownerId, received: req.orders.length, created: numbers.length, event: 'pending-orders-ingested' });
    return { outcomes };
  }

  async get(m: EntityManager, ownerId: string, n: number): Promise<PendingOrderView> {
    const [row]: PendingRow[] = await m.query(`SELECT * FROM ${SCHEMA}."pending_order_summary" WHERE "owner_id" = $1 AND "number" = $2`, [ownerId, n]);
    if (!row) throw new PendingOrderNotFoundError(n);
    return viewOf(row);
  }

  async delete(m: EntityManager, ownerId: string, n: number): Promise<{ deleted: true }> {
    // TypeORM answers a DELETE … RETURNING with [rows, affected].
    const [rows]: [unknown[], number] = await m.query(`DELETE FROM ${SCHEMA}."pending_order_summary" WHERE "owner_id" = $1 AND "number" = $2 RETURNING "number"`, [ownerId, n]);
    if (!rows.length) throw new PendingOrderNotFoundError(n);
    return { deleted: true };
  }

  /** The seed's manual "Import": the same conversion, now, for one record. */
  async importNow(m: EntityManager, outbox: OutboxWriter, ownerId: string, n: number): Promise<ConversionOutcome> {
    const [outcome] = await this.convert(m, outbox, ownerId, [n]);
    if (!outcome) throw new PendingOrderNotFoundError(n);
    return outcome;
  }

  /**
   * Converts the given pending records that still exist. Rows are locked in number order and
   * accounts are upserted in key order, so concurrent chunks sharing shoppers cannot deadlock.
   */
  async convert(m: EntityManager, outbox: OutboxWriter, ownerId: string, numbers: readonly number[]): Promise<ConversionOutcome[]> {
    const rows: ConvertingRow[] = await m.query(
      `SELECT ${CONVERTING_COLUMNS} FROM ${SCHEMA}."pending_order_summary" WHERE "owner_id" = $1 AND "number" = ANY($2::bigint[]) ORDER BY "number" FOR UPDATE`,
      [ownerId, numbers],
    );
    if (!rows.length) return [];
    const { good, failures, shoppers } = await triage(rows);
    const accounts = await this.resolveAccounts(m, ownerId, shoppers);
    const summaries = new Map<string, number>();
    if (good.length) {
      // One statement: the summaries (their fields read from the locked pending rows), the lines of
      // those created, and the deletion of their pending rows. A summary whose identifier already
      // has one is not created, keeps its pending row and is recorded as a failure below. Columns
      // go as array literals built in one pass (a chunk has thousands of lines).
      const orders: [string[], number[], number[], string[]] = [[], [], [], []];
      const lines: [string[], number[], string[], Array<string | null>, string[], string[], string[]] = [[], [], [], [], [], [], []];
      for (const c of good) {
        const shopper = accounts.get(c.matchKey) as { account: number; contact: number };
        orders[0].push(c.row.number);
        orders[1].push(shopper.account);
        orders[2].push(shopper.contact);
        orders[3].push(totalOf(c.lines));
        for (const l of c.lines) {
          lines[0].push(c.row.number);
          lines[1].push(l.line);
          lines[2].push(l.sku);
          lines[3].push(l.description);
          lines[4].push(l.quantity);
          lines[5].push(l.unitPrice);
          lines[6].push(l.totalPrice);
        }
      }
      const created: Array<{ number: string; pending_order_summary_number: string }> = await m.query(
        `WITH j AS (
           SELECT * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::numeric[]) AS j("pending", "account", "contact", "total")
         ), s AS (
           INSERT INTO ${SCHEMA}."order_summary" ("owner_id", "external_reference_identifier", "order_number", "ordered_date", "account_number", "bill_to_contact_number",
             "currency_iso_code", "grand_total_amount", "total_product_amount", "sales_channel_id", "sales_store_id", "pending_order_summary_number")
           SELECT $1, p."external_reference_identifier", p."order_number", p."ordered_date", j."account", j."contact",
                  p."currency_iso_code", p."grand_total_amount", j."total", p."sales_channel_id", p."sales_store_id", p."number"
             -- Each row by its primary key (rows locked above, so of this owner): a join the planner may
             -- turn into a scan of all the owner's pending rows, which ingest keeps filling meanwhile.
             FROM j CROSS JOIN LATERAL (SELECT * FROM ${SCHEMA}."pending_order_summary" p WHERE p."number" = j."pending" OFFSET 0) p
            ORDER BY p."number"
           ON CONFLICT ("owner_id", "external_reference_identifier") DO NOTHING
           RETURNING "number", "pending_order_summary_number"
         ), i AS (
           INSERT INTO ${SCHEMA}."order_item_summary" ("order_summary_number", "line", "sku", "description", "quantity", "unit_price", "total_price")
           SELECT s."number", l."line", l."sku", l."description", l."quantity", l."unit_price", l."total_price"
             FROM unnest($6::bigint[], $7::int[], $8::text[], $9::text[], $10::numeric[], $11::numeric[], $12::numeric[])
                  AS l("pending", "line", "sku", "description", "quantity", "unit_price", "total_price")
             JOIN s ON s."pending_order_summary_number" = l."pending"
         ), d AS (
           DELETE FROM ${SCHEMA}."pending_order_summary" WHERE "number" = ANY(ARRAY(SELECT "pending_order_summary_number" FROM s))
         )
         SELECT "number", "pending_order_summary_number" FROM s`,
        [
          ownerId,
          ...orders.map((col) => numberArray(col)),
          numberArray(lines[0]),
          numberArray(lines[1]),
          textArray(lines[2]),
          textArray(lines[3]),
          numberArray(lines[4]),
          numberArray(lines[5]),
          numberArray(lines[6]),
        ],
      );
      for (const r of created) summaries.set(r.pending_order_summary_number, Number(r.number));
    }
    const converted = good.filter((c) => summaries.has(c.row.number));
    for (const c of good) {
      if (!summaries.has(c.row.number)) {
        failures.push({ row: c.row, matchKey: c.matchKey, error: new ConversionError('DUPLICATE_VALUE', `an OrderSummary with ExternalReferenceIdentifier ${c.row.external_reference_identifier} already exists`) });
      }
    }
    if (failures.length) {
      await m.query(
        `UPDATE ${SCHEMA}."pending_order_summary" p SET "attempts" = p."attempts" + 1, "last_error_code" = f.code, "last_error_message" = f.message,
           "account_number" = coalesce(f.account, p."account_number"), "bill_to_contact_number" = coalesce(f.contact, p."bill_to_contact_number")
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[]) AS f(number, code, message, account, contact) WHERE p."number" = f.number`,
        [
          failures.map((f) => f.row.number),
          failures.map((f) => f.error.code),
          failures.map((f) => f.error.message.slice(0, 2000)),
          failures.map((f) => (f.matchKey ? accounts.get(f.matchKey)?.account : null) ?? null),
          failures.map((f) => (f.matchKey ? accounts.get(f.matchKey)?.contact : null) ?? null),
        ],
      );
    }
    const processedAt = new Date().toISOString();
    const outcomes: Array<ConversionOutcome & { pending: number }> = [
      ...converted.map((c) => ({
        isSuccess: true,
        orderSummaryNumber: summaries.get(c.row.number) as number,
        externalReferenceIdentifier: c.row.external_reference_identifier,
        errorCode: null,
        errorMessage: null,
        pending: Number(c.row.number),
      })),
      ...failures.map((f) => ({
        isSuccess: false,
        orderSummaryNumber: null,
        externalReferenceIdentifier: f.row.external_reference_identifier,
        errorCode: f.error.code,
        errorMessage: f.error.message,
        pending: Number(f.row.number),
      })),
    ];
    // One event per order, written as one outbox row the relay fans out into those events.
    await outbox.addEach(
      { exchange: ExchangeRole.Events, routingKey: PendingOrderEvents.Processed },
      outcomes.map((o) => processedEventOf(ownerId, o, processedAt)),
    );
    if (failures.length) this.log.warn({ msg: 'pending orders not converted', ownerId, failed: failures.length, codes: [...new Set(failures.map((f) => f.error.code))], event: 'pending-orders-failed' });
    this.log.log({ msg: 'pending orders converted', ownerId, converted: converted.length, failed: failures.length, event: 'pending-orders-converted' });
    return outcomes.map(({ pending: _pending, ...o }) => o);
  }

  async convertCommand(m: EntityManager, outbox: OutboxWriter, cmd: ConvertPendingOrdersCommand): Promise<void> {
    await this.convert(m, outbox, cmd.ownerId, cmd.numbers);
  }

  /**
   * Accounts and their contacts by match key, created when absent; sorted so lock order is global.
   * Returning shoppers are the common case: their accounts are read first, and only the keys not
   * found are upserted (and read back).
   */
  private async resolveAccounts(m: EntityManager, ownerId: string, items: ReadonlyArray<{ row: ConvertingRow; matchKey: string }>): Promise<Map<string, { account: number; contact: number }>> {
    const byKey = new Map<string, ConvertingRow>();
    for (const c of items) if (!byKey.has(c.matchKey)) byKey.set(c.matchKey, c.row);
    const out = new Map<string, { account: number; contact: number }>();
    if (!byKey.size) return out;
    const read = (keys: string[]): Promise<Array<{ number: string; match_key: string; name: string; email: string; phone: string | null; contact: string | null }>> =>
      m.query(
        `SELECT a."number", a."match_key", a."name", a."email", a."phone", c."number" AS "contact"
           FROM ${SCHEMA}."shopper_account" a LEFT JOIN ${SCHEMA}."shopper_contact" c ON c."account_number" = a."number"
          WHERE a."owner_id" = $1 AND a."match_key" = ANY($2::text[]) ORDER BY a."number"`,
        [ownerId, keys],
      );
    const accounts = await read([...byKey.keys()]);
    const found = new Set(accounts.map((a) => a.match_key));
    const keys = [...byKey.keys()].filter((k) => !found.has(k)).sort();
    if (keys.length) {
      // Accounts created here get their contact in the same statement, so every committed account has one.
      await m.query(
        `WITH a AS (
           INSERT INTO ${SCHEMA}."shopper_account" ("owner_id", "match_key", "name", "email", "phone")
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])
           ON CONFLICT ("owner_id", "match_key") DO NOTHING
           RETURNING "number", "name", "email", "phone"
         )
         INSERT INTO ${SCHEMA}."shopper_contact" ("account_number", "name", "email", "phone")
         SELECT "number", "name", "email", "phone" FROM a ORDER BY "number"
         ON CONFLICT ("account_number") DO NOTHING`,
        [ownerId, keys, keys.map((k) => byKey.get(k)?.shopper_name), keys.map((k) => byKey.get(k)?.billing_email_address.trim().toLowerCase()), keys.map((k) => byKey.get(k)?.billing_phone_number ?? null)],
      );
      // A statement of its own: it sees accounts a concurrent chunk committed while this one waited on their keys.
      accounts.push(...(await read(keys)));
    }
    const contactless = accounts.filter((a) => a.contact === null);
    if (contactless.length) {
      // Not expected (an account is created with its contact), but a contact is never missing from a summary.
      await m.query(
        `INSERT INTO ${SCHEMA}."shopper_contact" ("account_number", "name", "email", "phone")
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT ("account_number") DO NOTHING`,
        [contactless.map((a) => a.number), contactless.map((a) => a.name), contactless.map((a) => a.email), contactless.map((a) => a.phone)],
      );
      const added: Array<{ number: string; account_number: string }> = await m.query(`SELECT "number", "account_number" FROM ${SCHEMA}."shopper_contact" WHERE "account_number" = ANY($1::bigint[])`, [
        contactless.map((a) => a.number),
      ]);
      const byAccount = new Map(added.map((c) => [c.account_number, c.number]));
      for (const a of contactless) a.contact = byAccount.get(a.number) ?? null;
    }
    for (const a of accounts) out.set(a.match_key, { account: Number(a.number), contact: Number(a.contact) });
    return out;
  }
}
function viewOf(row: PendingRow): PendingOrderView {
  return {
    number: Number(row.number),
    externalReferenceIdentifier: row.external_reference_identifier,
    orderNumber: row.order_number,
    orderedDate: new Date(row.ordered_date).toISOString(),
    shopperName: row.shopper_name,
    billingEmailAddress: row.billing_email_address,
    billingPhoneNumber: row.billing_phone_number,
    currencyIsoCode: row.currency_iso_code,
    grandTotalAmount: row.grand_total_amount,
    description: row.description,
    payload: row.payload,
    payloadType: row.payload_type,
    processingInstructions: row.processing_instructions,
    salesChannelId: row.sales_channel_id,
    salesStoreId: row.sales_store_id,
    accountNumber: row.account_number === null ? null : Number(row.account_number),
    billToContactNumber: row.bill_to_contact_number === null ? null : Number(row.bill_to_contact_number),
    createdAt: new Date(row.created_at).toISOString(),
    lastErrorCode: row.last_error_code,
    lastErrorMessage: row.last_error_message,
  };
}
