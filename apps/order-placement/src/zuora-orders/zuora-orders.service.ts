import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  OperationSubmitted,
  ProcessZuoraOrderCommand,
  SubmitZuoraOrderRequest,
  SubmitZuoraOrderResult,
  ZUORA_REFERENCE_ENTITY_TYPES,
  ZuoraAsyncJobType,
  ZuoraOrderBody,
  ZuoraOrderCommands,
} from '@asyncops/contracts';
import { newOperationId } from '@asyncops/domain';
import { announceSubmitted, IncomingMessage, operationCommand, OutboxWriter, PermanentMessageError, ProgressReporter } from '@asyncops/messaging';
import { ConflictingRequestError } from '../errors';
import { nameBasedMessageId } from '../message-ids';
import { SCHEMA } from '../orders/order-row';
import { jobSubmitted } from '../producer';
import { ZUORA_INTERNAL, ZUORA_NOT_FOUND, ZUORA_RULE_RESTRICTION, ZuoraJobError } from './zuora-job-errors';
import { checkOrderRules, PriceBookEntry, PricedOrder, priceOrder, ratePlanSkus, zuoraAmount } from './zuora-pricing';

interface ZuoraOrderRow {
  id: string;
  owner_id: string;
  operation_id: string;
  job_type: ZuoraAsyncJobType;
  status: 'Pending' | 'Completed' | 'Failed';
  request: ZuoraOrderBody;
  order_date: string;
  request_id: string | null;
  submitted_at: Date;
}

/** A Zuora async job as the tracker first learns of it: a PlaceOrder counting the order's subscriptions. */
function zuoraJobSubmitted(o: Pick<ZuoraOrderRow, 'id' | 'owner_id' | 'operation_id' | 'job_type' | 'request' | 'request_id' | 'submitted_at'>): OperationSubmitted {
  return jobSubmitted(o, { jobType: 'PlaceOrder', referenceEntityType: ZUORA_REFERENCE_ENTITY_TYPES[o.job_type], totalJobItems: o.request.subscriptions.length });
}

interface Account {
  accountNumber: string | null;
  currency: string;
}

/**
 * Zuora's asynchronous order create and preview (seed 003). The submit commits the job row, its
 * tracker record and its command together; the job runs as one message whose transaction holds
 * every row it makes and its outcome event, so a redelivery either finds it done or redoes it all.
 */
@Injectable()
export class ZuoraOrdersService {
  private readonly log = new Logger(ZuoraOrdersService.name);

  async submit(m: EntityManager, outbox: OutboxWriter, req: SubmitZuoraOrderRequest): Promise<SubmitZuoraOrderResult> {
    const operationId = req.operationId ?? newOperationId();
    const [existing]: ZuoraOrderRow[] = req.operationId ? await m.query(`SELECT * FROM ${SCHEMA}."zuora_order" WHERE "operation_id" = $1`, [req.operationId]) : [];
    if (existing) {
      // A retried submit: the same job, never a second one.
      if (existing.owner_id !== req.ownerId || existing.job_type !== req.jobType) throw new ConflictingRequestError(`job ${req.operationId} already exists`);
      return { jobId: existing.operation_id, zuoraOrderId: existing.id, jobType: existing.job_type, submitted: { operation: zuoraJobSubmitted(existing) } };
    }
    const id = randomUUID();
    // The announced submission time is the row's, so a retry announces the job exactly as the first answer did.
    const submittedAt = new Date();
    await m.query(
      `INSERT INTO ${SCHEMA}."zuora_order" ("id", "owner_id", "operation_id", "job_type", "status", "request", "order_date", "request_id", "submitted_at")
       VALUES ($1, $2, $3, $4, 'Pending', $5, $6, $7, $8)`,
      [id, req.ownerId, operationId, req.jobType, JSON.stringify(req.order), req.order.orderDate, req.requestId ?? null, submittedAt],
    );
    const submitted = await announceSubmitted(
      outbox,
      zuoraJobSubmitted({ id, owner_id: req.ownerId, operation_id: operationId, job_type: req.jobType, request: req.order, request_id: req.requestId ?? null, submitted_at: submittedAt }),
    );
    const cmd: ProcessZuoraOrderCommand = { operationId, zuoraOrderId: id };
    await outbox.add(operationCommand(ZuoraOrderCommands.ProcessOrder, cmd, nameBasedMessageId(`process-zuora-order:${id}`)));
    this.log.log({ msg: 'zuora order job submitted', jobId: operationId, zuoraOrderId: id, jobType: req.jobType, event: 'zuora-job-submitted' });
    return { jobId: operationId, zuoraOrderId: id, jobType: req.jobType, submitted };
  }

  async process(m: EntityManager, outbox: OutboxWriter, cmd: ProcessZuoraOrderCommand, message: IncomingMessage): Promise<void> {
    const [row]: ZuoraOrderRow[] = await m.query(`SELECT * FROM ${SCHEMA}."zuora_order" WHERE "id" = $1 FOR UPDATE`, [cmd.zuoraOrderId]);
    if (!row) throw new PermanentMessageError(`zuora order ${cmd.zuoraOrderId} does not exist`);
    if (row.status !== 'Pending') return;
    const rep = new ProgressReporter(outbox, row.operation_id, null);
    await rep.started({ totalJobItems: row.request.subscriptions.length });
    await m.query('SAVEPOINT zuora_job');
    try {
      const result = row.job_type === 'AsyncCreateOrder' ? await this.create(m, rep, row) : await this.preview(m, rep, row);
      await rep.finished({
        status: 'Completed',
        message: `${row.job_type} completed`,
        totalJobItems: row.request.subscriptions.length,
        successfulJobItems: row.request.subscriptions.length,
        failedJobItems: 0,
        result,
      });
      this.log.log({ msg: 'zuora order job completed', jobId: row.operation_id, jobType: row.job_type, event: 'zuora-job-completed' });
    } catch (e) {
      const failure = e instanceof ZuoraJobError ? e : message.isFinalAttempt ? new ZuoraJobError(ZUORA_INTERNAL, 'The order could not be processed.') : undefined;
      if (!failure) throw e;
      await m.query('ROLLBACK TO SAVEPOINT zuora_job');
      await m.query(`UPDATE ${SCHEMA}."zuora_order" SET "status" = 'Failed', "error_code" = $2, "error" = $3, "finished_at" = now() WHERE "id" = $1`, [
        row.id,
        failure.code,
        failure.message,
      ]);
      await rep.finished({
        status: 'Failure',
        message: failure.message,
        errors: [{ key: failure.code, message: failure.message.slice(0, 2000) }],
        result: { jobType: row.job_type, success: false, reasons: [{ code: Number(failure.code), message: failure.message }] },
      });
      this.log.warn({ msg: 'zuora order job failed', jobId: row.operation_id, code: failure.code, error: failure.message, event: 'zuora-job-failed' });
    }
  }

  private async create(m: EntityManager, rep: ProgressReporter, row: ZuoraOrderRow): Promise<Record<string, unknown>> {
    const { order, account, priced } = await this.checkAndPrice(m, rep, row, true);
    await rep.step('createSubscriptions');
    const orderNumber = order.orderNumber ?? `O-${await this.next(m, 'zuora_order_number_seq')}`;
    if (order.orderNumber) {
      const [taken] = await m.query(`SELECT 1 FROM ${SCHEMA}."zuora_order" WHERE "owner_id" = $1 AND "order_number" = $2 AND "status" = 'Completed'`, [row.owner_id, orderNumber]);
      if (taken) throw new ZuoraJobError(ZUORA_RULE_RESTRICTION, `orderNumber ${orderNumber} is already used by another order.`);
    }
    const subscriptions = await this.createSubscriptions(m, row, account, priced);
    let invoiceNumbers: string[] = [];
    let paymentNumber: string | undefined;
    if (order.processingOptions?.runBilling) {
      await rep.step('runBilling');
      const invoiceNumber = `INV${await this.next(m, 'zuora_invoice_number_seq')}`;
      const [invoice]: Array<{ id: string }> = await m.query(
        `INSERT INTO ${SCHEMA}."zuora_invoice" ("order_id", "invoice_number", "amount", "balance", "currency", "invoice_date") VALUES ($1, $2, $3, $3, $4, $5) RETURNING "id"`,
        [row.id, invoiceNumber, priced.total, account.currency, row.order_date],
      );
      invoiceNumbers = [invoiceNumber];
      if (order.processingOptions.collectPayment) {
        await rep.step('collectPayment');
        paymentNumber = `P-${await this.next(m, 'zuora_payment_number_seq')}`;
        await m.query(`INSERT INTO ${SCHEMA}."zuora_payment" ("order_id", "invoice_id", "payment_number", "amount", "currency") VALUES ($1, $2, $3, $4, $5)`, [
          row.id,
          invoice.id,
          paymentNumber,
          priced.total,
          account.currency,
        ]);
        await m.query(`UPDATE ${SCHEMA}."zuora_invoice" SET "balance" = 0 WHERE "id" = $1`, [invoice.id]);
      }
    }
    const result: Record<string, unknown> = {
      jobType: 'AsyncCreateOrder',
      orderNumber,
      accountNumber: account.accountNumber,
      status: 'Completed',
      subscriptionNumbers: subscriptions.map((s) => s.subscriptionNumber),
      subscriptions,
      ...(invoiceNumbers.length ? { invoiceNumbers } : {}),
      ...(paymentNumber ? { paymentNumber, paidAmount: zuoraAmount(priced.total) } : {}),
    };
    await m.query(
      `UPDATE ${SCHEMA}."zuora_order" SET "status" = 'Completed', "order_number" = $2, "account_number" = $3, "currency" = $4, "total" = $5, "result" = $6, "finished_at" = now() WHERE "id" = $1`,
      [row.id, orderNumber, account.accountNumber, account.currency, priced.total, JSON.stringify(result)],
    );
    return result;
  }

  /** The steps a created and a previewed order share: its rules checked, its account resolved, its price computed. */
  private async checkAndPrice(m: EntityManager, rep: ProgressReporter, row: ZuoraOrderRow, persistAccount: boolean) {
    const order = row.request;
    await rep.step('validateOrder');
    checkOrderRules(order);
    const account = await this.resolveAccount(m, row, persistAccount);
    await rep.step('priceOrder');
    const priced = priceOrder(order, await this.priceBook(m, row.owner_id, order));
    return { order, account, priced };
  }

  /** A preview computes what the order would cost and writes nothing but its own outcome. */
  private async preview(m: EntityManager, rep: ProgressReporter, row: ZuoraOrderRow): Promise<Record<string, unknown>> {
    const { order, account, priced } = await this.checkAndPrice(m, rep, row, false);
    const result: Record<string, unknown> = {
      jobType: 'AsyncPreviewOrder',
      accountNumber: account.accountNumber,
      status: 'Completed',
      previewResult: {
        chargeMetrics: priced.subscriptions.map((s, i) => ({
          subscriptionNumber: s.requestedNumber ?? `preview-${i + 1}`,
          charges: s.ratePlans.map((r) => ({ productRatePlanId: r.sku, quantity: r.quantity, unitPrice: zuoraAmount(r.unitPrice), tcv: zuoraAmount(r.amount) })),
        })),
        invoices: [
          {
            amount: zuoraAmount(priced.total),
            amountWithoutTax: zuoraAmount(priced.total),
            taxAmount: 0,
            targetDate: order.orderDate,
            invoiceItems: priced.subscriptions.flatMap((s) =>
              s.ratePlans.map((r) => ({ productRatePlanId: r.sku, quantity: r.quantity, amountWithoutTax: zuoraAmount(r.amount), serviceStartDate: order.orderDate })),
            ),
          },
        ],
      },
    };
    await m.query(
      `UPDATE ${SCHEMA}."zuora_order" SET "status" = 'Completed', "account_number" = $2, "currency" = $3, "total" = $4, "result" = $5, "finished_at" = now() WHERE "id" = $1`,
      [row.id, account.accountNumber, account.currency, priced.total, JSON.stringify(result)],
    );
    return result;
  }

  /** The existing account, or the new one (created only when the order is really placed). */
  private async resolveAccount(m: EntityManager, row: ZuoraOrderRow, persist: boolean): Promise<Account> {
    const order = row.request;
    if (order.existingAccountNumber) {
      const [acc]: Array<{ account_number: string; currency: string }> = await m.query(
        `SELECT "account_number", "currency" FROM ${SCHEMA}."zuora_account" WHERE "owner_id" = $1 AND "account_number" = $2`,
        [row.owner_id, order.existingAccountNumber],
      );
      if (!acc) throw new ZuoraJobError(ZUORA_NOT_FOUND, `existingAccountNumber: account ${order.existingAccountNumber} does not exist.`);
      return { accountNumber: acc.account_number, currency: acc.currency };
    }
    const fresh = order.newAccount;
    if (!fresh) throw new ZuoraJobError(ZUORA_RULE_RESTRICTION, 'Exactly one of existingAccountNumber and newAccount must be given.');
    if (!persist) return { accountNumber: fresh.accountNumber ?? null, currency: fresh.currency };
    const accountNumber = fresh.accountNumber ?? `A${await this.next(m, 'zuora_account_number_seq')}`;
    const inserted: unknown[] = await m.query(
      `INSERT INTO ${SCHEMA}."zuora_account" ("owner_id", "account_number", "name", "currency", "bill_to") VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ("owner_id", "account_number") DO NOTHING RETURNING "id"`,
      [row.owner_id, accountNumber, fresh.name, fresh.currency, JSON.stringify(fresh.billToContact)],
    );
    if (!inserted.length) throw new ZuoraJobError(ZUORA_RULE_RESTRICTION, `newAccount.accountNumber: account ${accountNumber} already exists.`);
    return { accountNumber, currency: fresh.currency };
  }

  private async priceBook(m: EntityManager, ownerId: string, order: ZuoraOrderBody): Promise<Map<string, PriceBookEntry>> {
    const rows: Array<{ id: string; sku: string; active: boolean; unit_price: string | null; subscription_months: number | null }> = await m.query(
      `SELECT "id", "sku", "active", "unit_price", "subscription_months" FROM ${SCHEMA}."product" WHERE "owner_id" = $1 AND "sku" = ANY($2)`,
      [ownerId, ratePlanSkus(order)],
    );
    return new Map(rows.map((r) => [r.sku, { id: r.id, sku: r.sku, active: r.active, unitPrice: r.unit_price, subscriptionMonths: r.subscription_months }]));
  }

  private async createSubscriptions(m: EntityManager, row: ZuoraOrderRow, account: Account, priced: PricedOrder) {
    const out: Array<{ subscriptionNumber: string; status: string }> = [];
    for (const s of priced.subscriptions) {
      const subscriptionNumber = s.requestedNumber ?? `A-S${await this.next(m, 'zuora_subscription_number_seq')}`;
      const inserted: Array<{ id: string }> = await m.query(
        `INSERT INTO ${SCHEMA}."zuora_subscription" ("owner_id", "order_id", "subscription_number", "account_number", "status", "term_type", "term_months", "start_date", "amount")
         VALUES ($1, $2, $3, $4, 'Active', $5, $6, $7, $8) ON CONFLICT ("owner_id", "subscription_number") DO NOTHING RETURNING "id"`,
        [row.owner_id, row.id, subscriptionNumber, account.accountNumber, s.termType, s.termMonths, row.order_date, s.amount],
      );
      if (!inserted.length) throw new ZuoraJobError(ZUORA_RULE_RESTRICTION, `subscriptionNumber ${subscriptionNumber} already exists.`);
      for (const r of s.ratePlans) {
        await m.query(
          `INSERT INTO ${SCHEMA}."zuora_rate_plan" ("subscription_id", "product_id", "sku", "quantity", "unit_price", "amount", "position") VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [inserted[0].id, r.productId, r.sku, r.quantity, r.unitPrice, r.amount, r.position],
        );
      }
      out.push({ subscriptionNumber, status: 'Active' });
    }
    return out;
  }

  private async next(m: EntityManager, sequence: string): Promise<string> {
    const [{ n }]: Array<{ n: string }> = await m.query(`SELECT nextval('${SCHEMA}."${sequence}"')::text AS n`);
    return n.padStart(8, '0');
  }
}
