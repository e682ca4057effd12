import type { EntityManager } from 'typeorm';
import { ExchangeRole, OrderEvents, OrderPlaced } from '@asyncops/contracts';
import type { OutboxWriter } from '@asyncops/messaging';
import { nameBasedMessageId } from '../../message-ids';
import { CartRow, OrderRow, SCHEMA } from '../../orders/order-row';

/** Days to pay when the cart names no terms. */
export const DEFAULT_PAYMENT_TERM_DAYS = 30;

const termDays = (cart: CartRow) => cart.payment_term_days ?? DEFAULT_PAYMENT_TERM_DAYS;

/** The final call's steps, in seed 004's order; the last one sends the confirmation. */
export const FINAL_STEPS = [
  'processOrderTerms',
  'closeCart',
  'createStoredPayments',
  'processSubscriptions',
  'processTransactionPayments',
  'changeOrderStatus',
  'processInvoices',
  'sendOrderConfirmation',
] as const;

/**
 * processOrderTerms through processInvoices in one statement, each step a data-modifying CTE with
 * the same effect as its function above, then what the confirmation says: the placement time,
 * the order total and its order item count. Every CTE sees the order as the batch's statements
 * left it (its total is final by then); `placed` is the only one changing the order row.
 */
export async function runFinalSteps(m: EntityManager, order: OrderRow, cart: CartRow): Promise<{ placedAt: Date; total: string; itemCount: number }> {
  const days = termDays(cart);
  const [row]: Array<{ placed_at: Date; total: string; item_count: number }> = await m.query(
    `WITH "terms" AS (
       INSERT INTO ${SCHEMA}."order_term" ("order_id", "name", "payment_term_days") VALUES ($1, $3, $4)
     ), "closed" AS (
       UPDATE ${SCHEMA}."cart" SET "status" = 'Closed', "closed_at" = now(), "updated_at" = now() WHERE "id" = $2
     ), "stored" AS (
       INSERT INTO ${SCHEMA}."stored_payment" ("owner_id", "order_id", "payment_method") VALUES ($5, $1, $6)
     ), "subscriptions" AS (
       INSERT INTO ${SCHEMA}."subscription" ("order_id", "order_item_id", "product_id", "quantity", "term_months", "amount", "starts_at", "ends_at")
       SELECT oi."order_id", oi."id", oi."product_id", oi."quantity", p."subscription_months", oi."line_total", now(),
              now() + make_interval(months => p."subscription_months")
         FROM ${SCHEMA}."order_item" oi JOIN ${SCHEMA}."product" p ON p."id" = oi."product_id"
        WHERE oi."order_id" = $1 AND oi."kind" <> 'coupon' AND p."subscription_months" IS NOT NULL
     ), "payment" AS (
       INSERT INTO ${SCHEMA}."payment_transaction" ("order_id", "kind", "status", "amount", "currency")
       SELECT "id", 'Authorization', 'Authorized', "total", "currency" FROM ${SCHEMA}."orders" WHERE "id" = $1
     ), "placed" AS (
       UPDATE ${SCHEMA}."orders" SET "status" = 'Placed', "placed_at" = now(), "updated_at" = now() WHERE "id" = $1 RETURNING "placed_at", "total"
     ), "invoice" AS (
       INSERT INTO ${SCHEMA}."invoice" ("order_id", "status", "amount", "currency", "due_date")
       SELECT "id", 'Posted', "total", "currency", current_date + $4::int FROM ${SCHEMA}."orders" WHERE "id" = $1
     )
     SELECT "placed"."placed_at", "placed"."total"::text AS "total",
            (SELECT count(*)::int FROM ${SCHEMA}."order_item" oi WHERE oi."order_id" = $1) AS "item_count"
       FROM "placed"`,
    [order.id, cart.id, days === 0 ? 'Due on receipt' : `Net ${days}`, days, order.owner_id, cart.payment_method ?? 'invoice'],
  );
  return { placedAt: row.placed_at, total: row.total, itemCount: row.item_count };
}

/** sendOrderConfirmation: `order.placed`, once: the final steps run once per order and the message id is fixed. */
export async function sendOrderConfirmation(outbox: Pick<OutboxWriter, 'add'>, order: OrderRow, placed: Pick<OrderPlaced, 'total' | 'itemCount' | 'placedAt'>): Promise<void> {
  const body: OrderPlaced = {
    orderId: order.id,
    operationId: order.operation_id,
    cartId: order.cart_id,
    ownerId: order.owner_id,
    currency: order.currency,
    ...placed,
  };
  await outbox.add({ exchange: ExchangeRole.Events, routingKey: OrderEvents.Placed, body, messageId: nameBasedMessageId(`order.placed:${order.id}`) });
}
