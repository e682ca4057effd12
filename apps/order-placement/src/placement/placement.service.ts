import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OperationSubmitted, PlaceBatchCommand, PlaceCartRequest, PlaceCartResult } from '@asyncops/contracts';
import { newOperationId } from '@asyncops/domain';
import { announceSubmitted, IncomingMessage, OutboxWriter, PermanentMessageError, ProgressReporter } from '@asyncops/messaging';
import { OrderPlacementConfig } from '../config';
import { jobSubmitted } from '../producer';
import { CartNotFoundError, CartNotOpenError, EmptyCartError, PlacementAbortedError, PlacementCancelledError, PlacementFailure } from '../errors';
import { CartRow, findCart, lockOrder, OrderRow, SCHEMA } from '../orders/order-row';
import {
  checkForInvalidItems,
  enqueueNext,
  performDMLOnOrderItems,
  placeBatchMessage,
  priceBatch,
  processCartItems,
  processOrderGroups,
  retrieveCartItems,
} from './steps/batch-steps';
import { BatchOutbox } from './batch-outbox';
import { sendOrderFail, updateOrderOnError } from './steps/error-steps';
import {
  changeOrderStatus,
  closeCart,
  createStoredPayments,
  processInvoices,
  processOrderTerms,
  processSubscriptions,
  processTransactionPayments,
  sendOrderConfirmation,
} from './steps/final-steps';

/** A placement as the tracker first learns of it: a PlaceOrder job counting the order's major items and coupons. */
function placementSubmitted(o: Pick<OrderRow, 'id' | 'owner_id' | 'operation_id' | 'total_job_items' | 'request_id' | 'submitted_at'>): OperationSubmitted {
  return jobSubmitted(o, { jobType: 'PlaceOrder', referenceEntityType: 'Order', totalJobItems: o.total_job_items });
}

/**
 * Seed 004's placeAsync: a cart becomes an order one batch per message, each batch in the one
 * transaction the transport opened for its message (dedupe record, order rows, cursor, tracker
 * events and the next batch's command all commit together or not at all).
 */
@Injectable()
export class PlacementService {
  private readonly log = new Logger(PlacementService.name);

  constructor(@Inject(OrderPlacementConfig) private readonly config: OrderPlacementConfig) {}

  /** The synchronous part: the order exists and its first batch is queued when this commits. */
  async submit(m: EntityManager, outbox: OutboxWriter, req: PlaceCartRequest): Promise<PlaceCartResult> {
    const operationId = req.operationId ?? newOperationId();
    const [existing]: OrderRow[] = req.operationId ? await m.query(`SELECT * FROM ${SCHEMA}."orders" WHERE "operation_id" = $1`, [req.operationId]) : [];
    if (existing) {
      // A retried request: same answer, nothing placed twice.
      if (existing.owner_id !== req.ownerId || existing.cart_id !== req.cartId) throw new CartNotFoundError(req.cartId);
      return { orderId: existing.id, operationId: existing.operation_id, cartId: existing.cart_id, totalJobItems: existing.total_job_items, submitted: { operation: placementSubmitted(existing) } };
    }
    const cart = await findCart(m, req.cartId, req.ownerId, true);
    if (!cart) throw new CartNotFoundError(req.cartId);
    if (cart.status !== 'Open') throw new CartNotOpenError(cart.id, cart.status);
    const [{ n }]: Array<{ n: number }> = await m.query(
      `SELECT count(*)::int AS n FROM ${SCHEMA}."cart_item" WHERE "cart_id" = $1 AND "parent_id" IS NULL`,
      [cart.id],
    );
    if (n === 0) throw new EmptyCartError(cart.id);
    const orderId = randomUUID();
    // The announced submission time is the row's, so a retry announces the job exactly as the first answer did.
    const submittedAt = new Date();
    await m.query(
      `INSERT INTO ${SCHEMA}."orders" ("id", "owner_id", "cart_id", "operation_id", "status", "currency", "allow_repricing", "total_job_items", "request_id", "submitted_at")
       VALUES ($1, $2, $3, $4, 'Submitted', $5, $6, $7, $8, $9)`,
      [orderId, req.ownerId, cart.id, operationId, cart.currency, req.allowRepricing ?? false, n, req.requestId ?? null, submittedAt],
    );
    await m.query(`UPDATE ${SCHEMA}."cart" SET "status" = 'Placing', "updated_at" = now() WHERE "id" = $1`, [cart.id]);
    const submitted = await announceSubmitted(
      outbox,
      placementSubmitted({ id: orderId, owner_id: req.ownerId, operation_id: operationId, total_job_items: n, request_id: req.requestId ?? null, submitted_at: submittedAt }),
    );
    await outbox.add(placeBatchMessage({ operationId, orderId, batch: 1 }));
    this.log.log({ msg: 'placement submitted', orderId, operationId, cartId: cart.id, totalJobItems: n, event: 'placement-submitted' });
    return { orderId, operationId, cartId: cart.id, totalJobItems: n, submitted };
  }

  /**
   * One batch. Domain failures (and anything on the message's last attempt) take the error path.
   * Its outbox rows (lifecycle events, the next command) are written together at the end.
   * `chained`: how many batches this consumer has run one after another before this one. While
   * under PLACEMENT_CHAIN_BATCHES, the next batch's command is written held back and returned:
   * the caller runs it straight after this commit (see the controller).
   */
  async runBatch(m: EntityManager, transactionOutbox: OutboxWriter, cmd: PlaceBatchCommand, message: IncomingMessage, chained = 0): Promise<PlaceBatchCommand | undefined> {
    const order = await lockOrder(m, cmd.orderId);
    if (!order) throw new PermanentMessageError(`order ${cmd.orderId} does not exist`);
    if (order.status === 'Placed' || order.status === 'Failed' || cmd.batch <= order.batch_number) {
      this.log.log({ msg: 'batch already done; nothing to do', orderId: order.id, batch: cmd.batch, status: order.status, event: 'batch-skipped' });
      return undefined;
    }
    if (cmd.batch !== order.batch_number + 1) {
      throw new PermanentMessageError(`batch ${cmd.batch} of order ${order.id} arrived before batch ${order.batch_number + 1}`);
    }
    const outbox = new BatchOutbox(transactionOutbox);
    const holdMs = chained < this.config.PLACEMENT_CHAIN_BATCHES ? this.config.PLACEMENT_CHAIN_HOLD_MS : undefined;
    let next: PlaceBatchCommand | undefined;
    const reporter = new ProgressReporter(outbox, order.operation_id, order.last_reported_at);
    // The batch boundary: a cancel request recorded since the last batch committed ends the placement
    // here, on the error path; the batches already placed stay.
    if (order.cancel_requested_at) {
      await this.fail(m, outbox, reporter, order, new PlacementCancelledError(order.items_placed, order.total_job_items));
    } else {
      // Seed 004's savepoint: a failing batch undoes only its own work before the error path runs.
      await m.query('SAVEPOINT placement_batch');
      const mark = outbox.savepoint();
      try {
        next = await this.placeBatch(m, outbox, reporter, order, cmd.batch, chained, holdMs);
      } catch (e) {
        const failure = e instanceof PlacementFailure ? e : message.isFinalAttempt ? new PlacementAbortedError((e as Error).message) : undefined;
        if (!failure) throw e;
        await m.query('ROLLBACK TO SAVEPOINT placement_batch');
        outbox.rollbackTo(mark);
        next = undefined;
        await this.fail(m, outbox, reporter, order, failure);
      }
    }
    // Persisted by the batch's own write when another batch follows; else here (last batch, error path).
    if (!next) await m.query(`UPDATE ${SCHEMA}."orders" SET "last_reported_at" = $2 WHERE "id" = $1`, [order.id, reporter.lastReportedAt]);
    await outbox.flush();
    return holdMs ? next : undefined;
  }

  /**
   * The tracker said the client asked to cancel: recorded on an unfinished placement. The batch in
   * flight, if any, holds the order row lock, so this waits for it to commit and the next batch sees it.
   */
  async requestCancel(m: EntityManager, operationId: string, ownerId: string, requestedAt: Date): Promise<boolean> {
    const [rows]: [Array<{ id: string }>, number] = await m.query(
      `UPDATE ${SCHEMA}."orders" SET "cancel_requested_at" = coalesce("cancel_requested_at", $3), "updated_at" = now()
        WHERE "operation_id" = $1 AND "owner_id" = $2 AND "status" IN ('Submitted', 'InProgress') RETURNING "id"`,
      [operationId, ownerId, requestedAt],
    );
    const recorded = rows.length > 0;
    this.log.log({ msg: recorded ? 'cancel requested; the next batch ends the placement' : 'cancel request for work that is not a running placement; ignored', operationId, event: 'cancel-requested', recorded });
    return recorded;
  }

  /** Returns the next batch's command when there is one (held back by `holdMs`, if given). */
  private async placeBatch(m: EntityManager, outbox: BatchOutbox, rep: ProgressReporter, order: OrderRow, batchNumber: number, chained: number, holdMs?: number): Promise<PlaceBatchCommand | undefined> {
    const started = performance.now();
    const cart = await findCart(m, order.cart_id);
    if (!cart) throw new PermanentMessageError(`cart ${order.cart_id} of order ${order.id} does not exist`);
    if (batchNumber === 1) await rep.started({ totalJobItems: order.total_job_items });

    const batch = await retrieveCartItems(m, order, this.config.PLACEMENT_BATCH_SIZE);
    const read = performance.now();
    await rep.step('checkForInvalidItems');
    checkForInvalidItems(batch, order);
    await rep.step('retrieveCartItems');
    const prices = priceBatch(batch, cart, order);
    await rep.step('processCartItems');
    const lines = processCartItems(batch, prices);
    await rep.step('processOrderGroups');
    const totals = processOrderGroups(order, lines);
    await rep.step('performDMLOnOrderItems');
    // The batch's last events are reported before its write runs (they leave with the commit either
    // way, in this order), so a batch with more to follow persists the reporter's clock in that write.
    await rep.progressed(batch.heads.length);
    let next: PlaceBatchCommand | undefined;
    if (batch.hasMore) {
      await rep.step('enqueueNext');
      next = await enqueueNext(outbox, order, batchNumber + 1, holdMs);
    }
    const built = performance.now();
    await performDMLOnOrderItems(m, order, batchNumber, lines, totals, batch.cursor ?? order.placement_cursor, next ? rep.lastReportedAt : undefined);
    const written = performance.now();
    // Where the batch's time went: reading the cart, building the lines in process, the one write.
    const phasesMs = { read: Math.round(read - started), lines: Math.round(built - read), write: Math.round(written - built) };
    this.log.log({ msg: 'batch placed', orderId: order.id, batch: batchNumber, items: batch.heads.length, minorItems: batch.minors.length, chained, phasesMs, event: 'batch-placed' });

    if (next) return next;
    await this.finish(m, outbox, rep, order, cart, order.items_placed + batch.heads.length);
    return undefined;
  }

  /** The final call's chain, in seed 004's order, each step reported as it runs. */
  private async finish(m: EntityManager, outbox: BatchOutbox, rep: ProgressReporter, order: OrderRow, cart: CartRow, itemsPlaced: number): Promise<void> {
    await rep.step('processOrderTerms');
    await processOrderTerms(m, order, cart);
    await rep.step('closeCart');
    await closeCart(m, cart);
    await rep.step('createStoredPayments');
    await createStoredPayments(m, order, cart);
    await rep.step('processSubscriptions');
    await processSubscriptions(m, order);
    await rep.step('processTransactionPayments');
    await processTransactionPayments(m, order);
    await rep.step('changeOrderStatus');
    const placedAt = await changeOrderStatus(m, order);
    await rep.step('processInvoices');
    await processInvoices(m, order, cart);
    await rep.step('sendOrderConfirmation');
    const [totals]: Array<{ total: string; item_count: number }> = await m.query(
      `SELECT o."total", (SELECT count(*)::int FROM ${SCHEMA}."order_item" oi WHERE oi."order_id" = o."id") AS item_count
         FROM ${SCHEMA}."orders" o WHERE o."id" = $1`,
      [order.id],
    );
    await sendOrderConfirmation(outbox, order, { total: totals.total, itemCount: totals.item_count, placedAt: placedAt.toISOString() });
    await rep.finished({
      status: 'Completed',
      message: `order ${order.id} placed`,
      totalJobItems: order.total_job_items,
      successfulJobItems: itemsPlaced,
      failedJobItems: 0,
      result: { orderId: order.id, total: totals.total, currency: order.currency, orderItems: totals.item_count },
    });
    this.log.log({ msg: 'order placed', orderId: order.id, operationId: order.operation_id, items: itemsPlaced, event: 'order-placed' });
  }

  /** updateOrderOnError and sendOrderFail, then the operation ends in Failure with the reason. */
  private async fail(m: EntityManager, outbox: BatchOutbox, rep: ProgressReporter, order: OrderRow, failure: PlacementFailure): Promise<void> {
    const error = `${failure.code}: ${failure.message}`;
    await rep.step('updateOrderOnError');
    const failedAt = await updateOrderOnError(m, order, failure.code, error);
    await rep.step('sendOrderFail');
    await sendOrderFail(outbox, order, failure.code, error, failedAt);
    await rep.progressed(
      0,
      failure.items.map((i) => ({ itemKey: i.cartItemId, reason: i.reason.slice(0, 2000), details: { sku: i.sku, code: failure.code } })),
    );
    if (failure instanceof PlacementCancelledError) {
      // Not a failure of the work: the native view ends Cancelled, with what was placed.
      await rep.finished({
        status: 'Cancelled',
        message: error.slice(0, 4000),
        errors: [{ key: failure.code, message: error.slice(0, 2000) }],
        totalJobItems: order.total_job_items,
        successfulJobItems: order.items_placed,
        failedJobItems: 0,
        result: { orderId: order.id, status: 'Failed', errorCode: failure.code, itemsPlaced: order.items_placed },
      });
      this.log.log({ msg: 'placement cancelled', orderId: order.id, operationId: order.operation_id, itemsPlaced: order.items_placed, event: 'placement-cancelled' });
      return;
    }
    await rep.finished({ status: 'Failure', message: error.slice(0, 4000), errors: [{ key: failure.code, message: error.slice(0, 2000) }] });
    this.log.warn({ msg: 'placement failed', orderId: order.id, operationId: order.operation_id, code: failure.code, error, event: 'placement-failed' });
  }
}
