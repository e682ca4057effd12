import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MAX_SUBMITTED_EVENTS, OperationEvents, OperationSubmitted, PlaceBatchCommand, PlaceCartRequest, PlaceCartResult, SUBMITTED_JOB_EVENT_KEYS, SubmittedJobEvent, WithdrawHeldEventsRequest, WithdrawHeldEventsResult } from '@asyncops/contracts';
import { newOperationId } from '@asyncops/domain';
import { announceSubmitted, IncomingMessage, OutboxWriter, PermanentMessageError, ProgressReporter, SUBMITTED_COPY_DELAY_MS } from '@asyncops/messaging';
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
import { FINAL_STEPS, runFinalSteps, sendOrderConfirmation } from './steps/final-steps';

/** The most a small placement's lifecycle events may weigh (as JSON) to ride with its reply and the tracker's request. */
const MAX_REPLY_EVENTS_CHARS = 64 * 1024;

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
    const orderId = randomUUID();
    // The announced submission time is the row's, so a retry announces the job exactly as the first answer did.
    const submittedAt = new Date();
    // The order row as inserted, counting the cart's major items and coupons (read after the cart's
    // lock above, so no item added meanwhile is missed), with the cart's status change in the same
    // statement. An empty cart is refused after it: the error rolls the transaction back.
    const [order]: OrderRow[] = await m.query(
      `WITH "to_placing" AS (UPDATE ${SCHEMA}."cart" SET "status" = 'Placing', "updated_at" = now() WHERE "id" = $3)
       INSERT INTO ${SCHEMA}."orders" ("id", "owner_id", "cart_id", "operation_id", "status", "currency", "allow_repricing", "total_job_items", "request_id", "submitted_at")
       VALUES ($1, $2, $3, $4, 'Submitted', $5, $6, (SELECT count(*)::int FROM ${SCHEMA}."cart_item" WHERE "cart_id" = $3 AND "parent_id" IS NULL), $7, $8) RETURNING *`,
      [orderId, req.ownerId, cart.id, operationId, cart.currency, req.allowRepricing ?? false, req.requestId ?? null, submittedAt],
    );
    const n = order.total_job_items;
    if (n === 0) throw new EmptyCartError(cart.id);
    const submitted = await announceSubmitted(
      outbox,
      placementSubmitted({ id: orderId, owner_id: req.ownerId, operation_id: operationId, total_job_items: n, request_id: req.requestId ?? null, submitted_at: submittedAt }),
    );
    const events = n <= Math.min(this.config.PLACEMENT_INLINE_MAX_ITEMS, this.config.PLACEMENT_BATCH_SIZE) ? await this.placeInline(m, outbox, order, { ...cart, status: 'Placing' }) : undefined;
    if (!events) await outbox.add(placeBatchMessage({ operationId, orderId, batch: 1 }));
    this.log.log({ msg: 'placement submitted', orderId, operationId, cartId: cart.id, totalJobItems: n, inline: !!events, event: 'placement-submitted' });
    return { orderId, operationId, cartId: cart.id, totalJobItems: n, submitted: events?.length ? { ...submitted, events } : submitted };
  }

  /**
   * The fast path of a cart that fits in one batch: its only batch runs in the transaction that
   * accepts it, as `runBatch` would run it (savepoint, the error path for a domain failure),
   * saving the command's hop through the broker and a transaction of its own. The batch's
   * lifecycle events are returned for the reply (the tracker records them with the submit) and
   * written to the outbox held back like the submit's copy, so they reach the tracker after the
   * reply's copy, or on their own if that copy is never recorded. Anything else undoes the batch's
   * work and answers undefined: the batch is then queued as usual, with the queue's retries and
   * dead-lettering.
   */
  private async placeInline(m: EntityManager, transactionOutbox: OutboxWriter, order: OrderRow, cart: CartRow): Promise<SubmittedJobEvent[] | undefined> {
    let outbox = new BatchOutbox(transactionOutbox);
    let reporter = new ProgressReporter(outbox, order.operation_id, order.last_reported_at);
    await m.query('SAVEPOINT placement_batch');
    try {
      await this.placeBatch(m, outbox, reporter, order, 1, 0, undefined, cart);
    } catch (e) {
      await m.query('ROLLBACK TO SAVEPOINT placement_batch');
      if (!(e instanceof PlacementFailure)) {
        this.log.warn({ msg: 'inline batch failed; queued instead', orderId: order.id, operationId: order.operation_id, error: (e as Error).message, event: 'inline-batch-queued' });
        return undefined;
      }
      // The rolled-back batch's events are dropped with it; the error path reports after them in time.
      outbox = new BatchOutbox(transactionOutbox);
      reporter = new ProgressReporter(outbox, order.operation_id, reporter.lastReportedAt);
      await this.fail(m, outbox, reporter, order, e);
    }
    // The reporter's clock is not persisted: it only orders the events of a later batch of the same
    // order, and an order placed or failed here has none (a retried request answers from the order).
    const messages = outbox.take();
    const isLifecycle = (msg: (typeof messages)[number]) => (SUBMITTED_JOB_EVENT_KEYS as readonly string[]).includes(msg.routingKey);
    const lifecycle = messages.filter(isLifecycle);
    if (lifecycle.length > MAX_SUBMITTED_EVENTS || JSON.stringify(lifecycle.map((msg) => msg.body)).length > MAX_REPLY_EVENTS_CHARS) {
      // Too many or too large to ride with the reply (many item failures): the tracker gets them from the outbox alone.
      await transactionOutbox.add(...messages);
      return [];
    }
    await transactionOutbox.addHeldBack(SUBMITTED_COPY_DELAY_MS, ...lifecycle);
    await transactionOutbox.add(...messages.filter((msg) => !isLifecycle(msg)));
    return lifecycle.map((msg) => ({ messageId: msg.messageId as string, routingKey: msg.routingKey as SubmittedJobEvent['routingKey'], payload: msg.body as Record<string, unknown> }));
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
   * The tracker has recorded a small placement's lifecycle events with its submit (the gateway
   * asks after `record-submitted` answered): their held-back outbox copies, and the submit's, are
   * deleted before the relay sends them, so the tracker never has to skip them. One statement,
   * repeatable; only rows still held back, of that operation of that owner's order, with a
   * lifecycle routing key, go. A copy the relay holds at that moment is waited for and, once it is
   * sent, is not there to delete: it arrives as the duplicate it always was.
   */
  async withdrawHeldEvents(m: EntityManager, req: WithdrawHeldEventsRequest): Promise<WithdrawHeldEventsResult> {
    const [, withdrawn]: [unknown[], number] = await m.query(
      `DELETE FROM ${SCHEMA}."outbox" o
        WHERE o."publish_after" > now() AND lower(o."payload"->>'operationId') = $2
          AND ((o."message_id" = ANY($1::uuid[]) AND o."routing_key" = ANY($4::text[])) OR o."routing_key" = '${OperationEvents.Submitted}')
          AND EXISTS (SELECT 1 FROM ${SCHEMA}."orders" WHERE "operation_id" = $2::uuid AND "owner_id" = $3)`,
      [req.messageIds, req.operationId.toLowerCase(), req.ownerId, SUBMITTED_JOB_EVENT_KEYS],
    );
    this.log.log({ msg: 'held-back lifecycle copies withdrawn', operationId: req.operationId, asked: req.messageIds.length, withdrawn, event: 'held-events-withdrawn' });
    return { withdrawn };
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

  /** Returns the next batch's command when there is one (held back by `holdMs`, if given). `known`: the cart, when the caller has read it. */
  private async placeBatch(m: EntityManager, outbox: BatchOutbox, rep: ProgressReporter, order: OrderRow, batchNumber: number, chained: number, holdMs?: number, known?: CartRow): Promise<PlaceBatchCommand | undefined> {
    const started = performance.now();
    const cart = known ?? (await findCart(m, order.cart_id));
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

  /**
   * The final call's chain, in seed 004's order, each step reported; the steps' writes go to the
   * database as one statement (`runFinalSteps`), one round trip instead of one per step. They
   * commit together either way, so nobody can see the difference.
   */
  private async finish(m: EntityManager, outbox: BatchOutbox, rep: ProgressReporter, order: OrderRow, cart: CartRow, itemsPlaced: number): Promise<void> {
    for (const step of FINAL_STEPS) await rep.step(step);
    const placed = await runFinalSteps(m, order, cart);
    await sendOrderConfirmation(outbox, order, { total: placed.total, itemCount: placed.itemCount, placedAt: placed.placedAt.toISOString() });
    await rep.finished({
      status: 'Completed',
      message: `order ${order.id} placed`,
      totalJobItems: order.total_job_items,
      successfulJobItems: itemsPlaced,
      failedJobItems: 0,
      result: { orderId: order.id, total: placed.total, currency: order.currency, orderItems: placed.itemCount },
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
