import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  PlaceSalesTransactionRequest,
  PlaceSalesTransactionResult,
  encodeRecordId,
  SALES_TRANSACTION_JOB_TYPES,
  SALES_TRANSACTION_KEY_PREFIXES,
  SalesTransactionCommands,
  SalesTransactionKind,
  SalesTransactionStepCommand,
  SubmittedJob,
} from '@asyncops/contracts';
import { childOperationId, newOperationId } from '@asyncops/domain';
import { announceSubmitted, IncomingMessage, operationCommand, OutboxWriter, PermanentMessageError, ProgressReporter } from '@asyncops/messaging';
import { ConflictingRequestError } from '../errors';
import { nameBasedMessageId } from '../message-ids';
import { SCHEMA } from '../orders/order-row';
import { PRODUCER } from '../producer';
import { computeTax, findTaxRate, priceLines, SalesTransactionError, TaxRateRow } from './sales-math';

const TABLES: Readonly<Record<SalesTransactionKind, { header: string; line: string }>> = {
  Order: { header: `${SCHEMA}."sales_order"`, line: `${SCHEMA}."sales_order_line"` },
  Quote: { header: `${SCHEMA}."quote"`, line: `${SCHEMA}."quote_line"` },
};

interface HeaderRow {
  id: string;
  record_number: string;
  owner_id: string;
  operation_id: string;
  price_operation_id: string;
  tax_operation_id: string;
  status: 'Draft' | 'Priced' | 'Taxed' | 'Placed' | 'Failed';
  currency: string;
  ship_to_country: string;
  ship_to_region: string | null;
  line_count: number;
  request_id: string | null;
  created_at: Date;
  subtotal: string | null;
  discount: string | null;
  tax: string | null;
  total: string | null;
}

type Step = keyof typeof SalesTransactionCommands;

/**
 * A place action as the tracker first learns of it: the parent PlaceOrder / PlaceQuote and its
 * price and tax children, each counting the record's lines.
 */
export function salesTransactionSubmitted(
  kind: SalesTransactionKind,
  h: Pick<HeaderRow, 'id' | 'owner_id' | 'operation_id' | 'price_operation_id' | 'tax_operation_id' | 'line_count' | 'request_id' | 'created_at'>,
): SubmittedJob {
  const jobs = SALES_TRANSACTION_JOB_TYPES[kind];
  const common = {
    occurredAt: new Date(h.created_at).toISOString(),
    ownerId: h.owner_id,
    producer: PRODUCER,
    referenceEntityId: h.id,
    referenceEntityType: kind,
    ...(h.request_id ? { requestId: h.request_id } : {}),
  };
  return {
    operation: { ...common, operationId: h.operation_id, jobType: jobs.parent },
    children: [
      { ...common, operationId: h.price_operation_id, jobType: jobs.price, parentOperationId: h.operation_id, totalJobItems: h.line_count },
      { ...common, operationId: h.tax_operation_id, jobType: jobs.tax, parentOperationId: h.operation_id, totalJobItems: h.line_count },
    ],
  };
}

/** bigserial arrives as a string; ids encode it as a number, safe far beyond any real count. */
const salesforceId = (kind: SalesTransactionKind, recordNumber: string) => encodeRecordId(SALES_TRANSACTION_KEY_PREFIXES[kind], Number(recordNumber));

/**
 * Revenue Cloud's place actions (seed 000): the parent PlaceOrder / PlaceQuote operation with
 * two child operations, pricing then tax, each run by its own message. The parent's StepName
 * follows the work (…PriceAsync, …TaxAsync, then …PersistSync) and its status rolls up from the
 * children in the tracker: the tax child finishes only after the persist step committed, so the
 * parent cannot read Completed before the record is placed.
 */
@Injectable()
export class SalesTransactionsService {
  private readonly log = new Logger(SalesTransactionsService.name);

  async place(m: EntityManager, outbox: OutboxWriter, req: PlaceSalesTransactionRequest): Promise<PlaceSalesTransactionResult> {
    const t = TABLES[req.kind];
    const operationId = req.operationId ?? newOperationId();
    const [existing]: HeaderRow[] = req.operationId ? await m.query(`SELECT * FROM ${t.header} WHERE "operation_id" = $1`, [req.operationId]) : [];
    if (existing) {
      if (existing.owner_id !== req.ownerId) throw new ConflictingRequestError(`operation ${req.operationId} already exists`);
      return {
        recordId: existing.id,
        salesforceId: salesforceId(req.kind, existing.record_number),
        operationId: existing.operation_id,
        submitted: salesTransactionSubmitted(req.kind, existing),
      };
    }
    const id = randomUUID();
    // order-placement names the children: derived from the parent, so a retry names them the same way.
    const priceOperationId = childOperationId(operationId, 'price');
    const taxOperationId = childOperationId(operationId, 'tax');
    // The announced submission time is the row's, so a retry announces the job exactly as the first answer did.
    const createdAt = new Date();
    const [{ record_number }]: Array<{ record_number: string }> = await m.query(
      `INSERT INTO ${t.header} ("id", "owner_id", "operation_id", "price_operation_id", "tax_operation_id", "status", "currency", "ship_to_country", "ship_to_region", "pricing_pref", "line_count", "request_id", "created_at")
       VALUES ($1, $2, $3, $4, $5, 'Draft', $6, $7, $8, $9, $10, $11, $12) RETURNING "record_number"`,
      [id, req.ownerId, operationId, priceOperationId, taxOperationId, req.currency, req.shipToCountry, req.shipToRegion ?? null, req.pricingPref ?? 'System', req.lines.length, req.requestId ?? null, createdAt],
    );
    await m.query(
      `INSERT INTO ${t.line} ("header_id", "line_number", "sku", "quantity", "discount_percent", "discount_amount")
       SELECT $1, x."n", x."sku", x."quantity", x."discountPercent", x."discountAmount"
         FROM jsonb_to_recordset($2::jsonb) AS x("n" int, "sku" text, "quantity" int, "discountPercent" numeric, "discountAmount" numeric)`,
      [id, JSON.stringify(req.lines.map((l, i) => ({ n: i + 1, sku: l.sku, quantity: l.quantity, discountPercent: l.discountPercent ?? null, discountAmount: l.discountAmount ?? null })))],
    );
    const job = salesTransactionSubmitted(req.kind, {
      id,
      owner_id: req.ownerId,
      operation_id: operationId,
      price_operation_id: priceOperationId,
      tax_operation_id: taxOperationId,
      line_count: req.lines.length,
      request_id: req.requestId ?? null,
      created_at: createdAt,
    });
    const submitted = await announceSubmitted(outbox, job.operation, job.children);
    await outbox.add(this.command('Price', { kind: req.kind, recordId: id, operationId }));
    this.log.log({ msg: 'sales transaction submitted', kind: req.kind, recordId: id, operationId, lines: req.lines.length, event: 'sales-transaction-submitted' });
    return { recordId: id, salesforceId: salesforceId(req.kind, record_number), operationId, submitted };
  }

  /** The price child: prices every line from the price book, then queues tax. */
  async price(m: EntityManager, outbox: OutboxWriter, cmd: SalesTransactionStepCommand, message: IncomingMessage): Promise<void> {
    const started = await this.startChild(m, outbox, cmd, 'Draft', 'price');
    if (!started) return;
    const { h, child } = started;
    const t = TABLES[cmd.kind];
    const lines: Array<{ line_number: number; sku: string; quantity: number; discount_percent: string | null; discount_amount: string | null }> = await m.query(
      `SELECT "line_number", "sku", "quantity", "discount_percent", "discount_amount" FROM ${t.line} WHERE "header_id" = $1 ORDER BY "line_number"`,
      [h.id],
    );
    const products: Array<{ sku: string; id: string; active: boolean; unit_price: string | null }> = await m.query(
      `SELECT "sku", "id", "active", "unit_price" FROM ${SCHEMA}."product" WHERE "owner_id" = $1 AND "sku" = ANY($2)`,
      [h.owner_id, [...new Set(lines.map((l) => l.sku))]],
    );
    try {
      const priced = priceLines(
        lines.map((l) => ({ lineNumber: l.line_number, sku: l.sku, quantity: l.quantity, discountPercent: l.discount_percent, discountAmount: l.discount_amount })),
        new Map(products.map((p) => [p.sku, { id: p.id, active: p.active, unitPrice: p.unit_price }])),
      );
      await m.query(
        `UPDATE ${t.line} l SET "product_id" = x."productId", "list_price" = x."listPrice", "list_amount" = x."listAmount", "adjustment" = x."adjustment", "net_amount" = x."netAmount"
           FROM jsonb_to_recordset($2::jsonb) AS x("lineNumber" int, "productId" uuid, "listPrice" numeric, "listAmount" numeric, "adjustment" numeric, "netAmount" numeric)
          WHERE l."header_id" = $1 AND l."line_number" = x."lineNumber"`,
        [h.id, JSON.stringify(priced.lines)],
      );
      await m.query(`UPDATE ${t.header} SET "status" = 'Priced', "subtotal" = $2, "discount" = $3, "updated_at" = now() WHERE "id" = $1`, [h.id, priced.subtotal, priced.discount]);
      await child.finished({
        status: 'Completed',
        message: `${priced.lines.length} lines priced`,
        totalJobItems: h.line_count,
        successfulJobItems: priced.lines.length,
        failedJobItems: 0,
        result: { subtotal: priced.subtotal, discount: priced.discount, currency: h.currency },
      });
      await outbox.add(this.command('Tax', cmd));
    } catch (e) {
      if (!(e instanceof SalesTransactionError) && !message.isFinalAttempt) throw e;
      await this.fail(m, cmd, h, e, [child, reporter(outbox, h, h.tax_operation_id)], 'pricing failed; tax was not computed');
    }
  }

  /** The tax child: rate by ship-to country and region, tax per line; then the persist step. */
  async tax(m: EntityManager, outbox: OutboxWriter, cmd: SalesTransactionStepCommand, message: IncomingMessage): Promise<void> {
    const started = await this.startChild(m, outbox, cmd, 'Priced', 'tax');
    if (!started) return;
    const { h, parent, child } = started;
    const t = TABLES[cmd.kind];
    try {
      const rates: TaxRateRow[] = await m.query(`SELECT "country", "region", "rate"::text AS "rate" FROM ${SCHEMA}."tax_rate" WHERE "country" = $1`, [h.ship_to_country]);
      const rate = findTaxRate(rates, h.ship_to_country, h.ship_to_region);
      const lines: Array<{ line_number: number; net_amount: string }> = await m.query(`SELECT "line_number", "net_amount" FROM ${t.line} WHERE "header_id" = $1 ORDER BY "line_number"`, [h.id]);
      const taxed = computeTax(lines.map((l) => ({ lineNumber: l.line_number, netAmount: l.net_amount })), rate);
      await m.query(
        `UPDATE ${t.line} l SET "tax_amount" = x."taxAmount" FROM jsonb_to_recordset($2::jsonb) AS x("lineNumber" int, "taxAmount" numeric)
          WHERE l."header_id" = $1 AND l."line_number" = x."lineNumber"`,
        [h.id, JSON.stringify(taxed.lines)],
      );
      await m.query(`UPDATE ${t.header} SET "status" = 'Taxed', "tax_rate" = $2, "tax" = $3, "total" = $4, "updated_at" = now() WHERE "id" = $1`, [h.id, rate, taxed.tax, taxed.total]);
      await child.progressed(taxed.lines.length);
      // The parent's persist step starts here; the tax child finishes when it has committed.
      await parent.step(SALES_TRANSACTION_JOB_TYPES[cmd.kind].persist);
      await outbox.add(this.command('Persist', cmd));
    } catch (e) {
      if (!(e instanceof SalesTransactionError) && !message.isFinalAttempt) throw e;
      await this.fail(m, cmd, h, e, [child], 'tax failed');
    }
  }

  /** PlaceOrderPersistSync / PlaceQuotePersistSync: the record becomes final, then the tax child ends. */
  async persist(m: EntityManager, outbox: OutboxWriter, cmd: SalesTransactionStepCommand): Promise<void> {
    const t = TABLES[cmd.kind];
    const h = await this.lock(m, cmd);
    if (h.status !== 'Taxed') return;
    await m.query(`UPDATE ${t.header} SET "status" = 'Placed', "placed_at" = now(), "updated_at" = now() WHERE "id" = $1`, [h.id]);
    await reporter(outbox, h, h.tax_operation_id).finished({
      status: 'Completed',
      message: `${cmd.kind} ${h.id} placed`,
      totalJobItems: h.line_count,
      successfulJobItems: h.line_count,
      failedJobItems: 0,
      result: { recordId: h.id, subtotal: h.subtotal, discount: h.discount, tax: h.tax, total: h.total, currency: h.currency },
    });
    this.log.log({ msg: 'sales transaction placed', kind: cmd.kind, recordId: h.id, operationId: h.operation_id, total: h.total, event: 'sales-transaction-placed' });
  }

  /**
   * Locks the record and, when it is in the status the child step follows, moves the parent to that
   * step and starts the child. Undefined when the step has run already (a redelivery).
   */
  private async startChild(
    m: EntityManager,
    outbox: OutboxWriter,
    cmd: SalesTransactionStepCommand,
    after: HeaderRow['status'],
    step: 'price' | 'tax',
  ): Promise<{ h: HeaderRow; parent: ProgressReporter; child: ProgressReporter } | undefined> {
    const h = await this.lock(m, cmd);
    if (h.status !== after) return undefined;
    const parent = reporter(outbox, h, h.operation_id);
    const child = reporter(outbox, h, step === 'price' ? h.price_operation_id : h.tax_operation_id);
    await parent.step(SALES_TRANSACTION_JOB_TYPES[cmd.kind][step]);
    await child.started({ totalJobItems: h.line_count });
    return { h, parent, child };
  }

  private async fail(m: EntityManager, cmd: SalesTransactionStepCommand, h: HeaderRow, e: unknown, children: ProgressReporter[], why: string): Promise<void> {
    const code = e instanceof SalesTransactionError ? e.code : 'STEP_ABORTED';
    const reason = e instanceof SalesTransactionError ? e.message : `the step could not be completed: ${(e as Error).message}`;
    await m.query(`UPDATE ${TABLES[cmd.kind].header} SET "status" = 'Failed', "error_code" = $2, "error" = $3, "updated_at" = now() WHERE "id" = $1`, [h.id, code, reason]);
    const [first, ...rest] = children;
    await first.finished({ status: 'Failure', message: reason.slice(0, 4000), errors: [{ key: code, message: reason.slice(0, 2000) }] });
    // Children that will never run end too, so the parent's roll-up reaches a terminal state.
    for (const c of rest) await c.finished({ status: 'Failure', message: why, errors: [{ key: 'NOT_RUN', message: why }] });
    this.log.warn({ msg: 'sales transaction failed', kind: cmd.kind, recordId: h.id, operationId: h.operation_id, code, error: reason, event: 'sales-transaction-failed' });
  }

  private async lock(m: EntityManager, cmd: SalesTransactionStepCommand): Promise<HeaderRow> {
    const [h]: HeaderRow[] = await m.query(`SELECT * FROM ${TABLES[cmd.kind].header} WHERE "id" = $1 FOR UPDATE`, [cmd.recordId]);
    if (!h) throw new PermanentMessageError(`${cmd.kind} ${cmd.recordId} does not exist`);
    return h;
  }

  private command(step: Step, cmd: SalesTransactionStepCommand) {
    return operationCommand(SalesTransactionCommands[step], cmd, nameBasedMessageId(`sales-transaction:${step}:${cmd.recordId}`));
  }
}

/** Progress of one of the record's operations, in the lane of its parent operation so the events keep their order. */
function reporter(outbox: OutboxWriter, h: HeaderRow, operationId: string): ProgressReporter {
  return new ProgressReporter(outbox, operationId, null, { laneOperationId: h.operation_id });
}
