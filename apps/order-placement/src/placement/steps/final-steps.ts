import type { EntityManager } from 'typeorm';
import { ExchangeRole, OrderEvents, OrderPlaced } from '@asyncops/contracts';
import type { OutboxWriter } from '@asyncops/messaging';
import { nameBasedMessageId } from '../../message-ids';
import { CartRow, OrderRow, SCHEMA } from '../../orders/order-row';

/** Days to pay when the cart names no terms. */
export const DEFAULT_PAYMENT_TERM_DAYS = 30;

const termDays = (cart: CartRow) => cart.payment_term_days ?? DEFAULT_PAYMENT_TERM_DAYS;

/** processOrderTerms: the payment terms the invoice's due date follows. */
export async function processOrderTerms(m: EntityManager, order: OrderRow, cart: CartRow): Promise<void> {
  const days = termDays(cart);
  await m.query(`INSERT INTO ${SCHEMA}."order_term" ("order_id", "name", "payment_term_days") VALUES ($1, $2, $3)`, [
    order.id,
    days === 0 ? 'Due on receipt' : `Net ${days}`,
    days,
  ]);
}

/** closeCart: a placed cart can no longer change. */
export async function closeCart(m: EntityManager, cart: CartRow): Promise<void> {
  await m.query(`UPDATE ${SCHEMA}."cart" SET "status" = 'Closed', "closed_at" = now(), "updated_at" = now() WHERE "id" = $1`, [cart.id]);
}

/** createStoredPayments: keeps the cart's payment method with the owner for this order. */
export async function createStoredPayments(m: EntityManager, order: OrderRow, cart: CartRow): Promise<void> {
  await m.query(`INSERT INTO ${SCHEMA}."stored_payment" ("owner_id", "order_id", "payment_method") VALUES ($1, $2, $3)`, [
    order.owner_id,
    order.id,
    cart.payment_method ?? 'invoice',
  ]);
}

/** processSubscriptions: one subscription per order line whose product is sold by the term. */
export async function processSubscriptions(m: EntityManager, order: OrderRow): Promise<number> {
  const [{ n }]: Array<{ n: number }> = await m.query(
    `WITH created AS (INSERT INTO ${SCHEMA}."subscription" ("order_id", "order_item_id", "product_id", "quantity", "term_months", "amount", "starts_at", "ends_at")
     SELECT oi."order_id", oi."id", oi."product_id", oi."quantity", p."subscription_months", oi."line_total", now(),
            now() + make_interval(months => p."subscription_months")
       FROM ${SCHEMA}."order_item" oi JOIN ${SCHEMA}."product" p ON p."id" = oi."product_id"
      WHERE oi."order_id" = $1 AND oi."kind" <> 'coupon' AND p."subscription_months" IS NOT NULL
      RETURNING 1)
     SELECT count(*)::int AS n FROM created`,
    [order.id],
  );
  return n;
}

/** processTransactionPayments: authorises the order total against the stored payment. */
export async function processTransactionPayments(m: EntityManager, order: OrderRow): Promise<void> {
  await m.query(
    `INSERT INTO ${SCHEMA}."payment_transaction" ("order_id", "kind", "status", "amount", "currency")
     SELECT "id", 'Authorization', 'Authorized', "total", "currency" FROM ${SCHEMA}."orders" WHERE "id" = $1`,
    [order.id],
  );
}

/** changeOrderStatus: the order is placed; returns the placement time. */
export async function changeOrderStatus(m: EntityManager, order: OrderRow): Promise<Date> {
  // TypeORM answers an UPDATE with [rows, affected].
  const [[row]]: [Array<{ placed_at: Date }>, number] = await m.query(
    `UPDATE ${SCHEMA}."orders" SET "status" = 'Placed', "placed_at" = now(), "updated_at" = now() WHERE "id" = $1 RETURNING "placed_at"`,
    [order.id],
  );
  return row.placed_at;
}

/** processInvoices: posts the invoice for the order total, due by the order's terms. */
export async function processInvoices(m: EntityManager, order: OrderRow, cart: CartRow): Promise<void> {
  await m.query(
    `INSERT INTO ${SCHEMA}."invoice" ("order_id", "status", "amount", "currency", "due_date")
     SELECT "id", 'Posted', "total", "currency", current_date + $2::int FROM ${SCHEMA}."orders" WHERE "id" = $1`,
    [order.id, termDays(cart)],
  );
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
