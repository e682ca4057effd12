import type { EntityManager } from 'typeorm';
import { ExchangeRole, Headers, OrderPlacementCommands, PlaceBatchCommand } from '@asyncops/contracts';
import { OutboxWriter } from '@asyncops/messaging';
import { nameBasedMessageId } from '../../message-ids';
import { InvalidCartItemsError, PricingForOrderFailedError, StaleCartPricesError } from '../../errors';
import { CartRow, OrderRow, SCHEMA } from '../../orders/order-row';
import { newOrderLineId } from '../line-ids';
import { addToTotals, BatchCartItem, buildOrderLines, decidePricing, findInvalidItems, OrderLine, splitBatch, Totals } from '../batch-planning';

interface CartItemQueryRow {
  id: string;
  kind: BatchCartItem['kind'];
  parent_id: string | null;
  product_id: string;
  sku: string;
  quantity: number;
  unit_price: string | null;
  position: number;
  sub_position: number;
  updated_at: Date;
  product_active: boolean;
  product_unit_price: string | null;
  price_book_updated_at: Date;
}

const ITEM_COLUMNS = `ci."id", ci."kind", ci."parent_id", ci."product_id", ci."sku", ci."quantity", ci."unit_price", ci."position", ci."sub_position",
  ci."updated_at", p."active" AS "product_active", p."unit_price" AS "product_unit_price", p."price_book_updated_at"`;

function toItem(r: CartItemQueryRow): BatchCartItem {
  return {
    id: r.id,
    kind: r.kind,
    parentId: r.parent_id,
    productId: r.product_id,
    sku: r.sku,
    quantity: r.quantity,
    unitPrice: r.unit_price,
    position: r.position,
    subPosition: r.sub_position,
    updatedAt: r.updated_at,
    productActive: r.product_active,
    productUnitPrice: r.product_unit_price,
    priceBookUpdatedAt: r.price_book_updated_at,
  };
}

export interface RetrievedBatch {
  heads: BatchCartItem[];
  minors: BatchCartItem[];
  hasMore: boolean;
  cursor: number | null;
}

/**
 * retrieveCartItems: the next `batchSize` major items and coupons after the persisted cursor,
 * with all their minor items (which do not count toward the size), in one statement. Minor items
 * are found through their parent's id on the parent index, once per head: matching them against
 * the list of heads instead makes the planner scan the whole cart per batch.
 */
export async function retrieveCartItems(m: EntityManager, order: OrderRow, batchSize: number): Promise<RetrievedBatch> {
  const rows: CartItemQueryRow[] = await m.query(
    `WITH heads AS MATERIALIZED (
       SELECT ci."id", ci."position" FROM ${SCHEMA}."cart_item" ci
        WHERE ci."cart_id" = $1 AND ci."parent_id" IS NULL AND ci."position" > $2
        ORDER BY ci."position" LIMIT $3 + 1
     ), placed AS MATERIALIZED (SELECT "id" FROM heads ORDER BY "position" LIMIT $3)
     SELECT ${ITEM_COLUMNS} FROM heads h JOIN ${SCHEMA}."cart_item" ci ON ci."id" = h."id" JOIN ${SCHEMA}."product" p ON p."id" = ci."product_id"
     UNION ALL
     SELECT ${ITEM_COLUMNS} FROM placed h
       CROSS JOIN LATERAL (SELECT * FROM ${SCHEMA}."cart_item" c WHERE c."parent_id" = h."id" AND c."parent_id" IS NOT NULL) ci
       JOIN ${SCHEMA}."product" p ON p."id" = ci."product_id"
     ORDER BY "position", "sub_position"`,
    [order.cart_id, order.placement_cursor, batchSize],
  );
  const items = rows.map(toItem);
  const selection = splitBatch(
    items.filter((i) => i.parentId === null),
    batchSize,
  );
  return { heads: selection.batch, minors: items.filter((i) => i.parentId !== null), hasMore: selection.hasMore, cursor: selection.cursor };
}

/** checkForInvalidItems: inactive products, non-positive quantities, missing prices, items changed since submit. */
export function checkForInvalidItems(batch: RetrievedBatch, order: OrderRow): void {
  const invalid = findInvalidItems([...batch.heads, ...batch.minors], order.submitted_at);
  if (invalid.length) throw new InvalidCartItemsError(invalid);
}

/** Repricing as seed 004's ALLOW_PRICING_ON_ASYNC_ORDER describes; returns the new prices by cart item. */
export function priceBatch(batch: RetrievedBatch, cart: CartRow, order: OrderRow): Map<string, string> {
  const decision = decidePricing([...batch.heads, ...batch.minors], cart.prices_as_of, order.allow_repricing);
  switch (decision.outcome) {
    case 'current':
      return new Map();
    case 'repriced':
      return decision.prices;
    case 'stale':
      throw new StaleCartPricesError(decision.items);
    case 'pricing-failed':
      throw new PricingForOrderFailedError(decision.items);
  }
}

/** processCartItems → createOrderItem for each item; line ids are time-ordered (see newOrderLineId). */
export function processCartItems(batch: RetrievedBatch, prices: Map<string, string>): OrderLine[] {
  return buildOrderLines([...batch.heads, ...batch.minors], prices, () => newOrderLineId());
}

/** processOrderGroups: folds the batch into the order's running totals. */
export function processOrderGroups(order: OrderRow, lines: OrderLine[]): Totals {
  return addToTotals(order, lines);
}

/**
 * performDMLOnOrderItems: insertMajorItems and insertMinorOrderItems, and the order's cursor and
 * running totals, in one statement. Major and minor lines go in together: the foreign key from a
 * minor line to its major line is checked at the end of the statement, when both exist. unnest
 * keeps the parameter count fixed whatever the batch size. A plain INSERT on purpose: should a
 * batch ever run twice, the unique (order_id, cart_item_id) key aborts it instead of doubling the order.
 */
export async function performDMLOnOrderItems(
  m: EntityManager,
  order: OrderRow,
  batchNumber: number,
  lines: OrderLine[],
  totals: Totals,
  cursor: number,
  lastReportedAt?: Date,
): Promise<void> {
  // Major lines first, as seed 004 inserts them; their minor lines follow.
  const majors = lines.filter((l) => l.parentOrderItemId === null);
  const ordered = [...majors, ...lines.filter((l) => l.parentOrderItemId !== null)];
  const col = <K extends keyof OrderLine>(k: K) => ordered.map((l) => l[k]);
  await m.query(
    `WITH items AS (
       INSERT INTO ${SCHEMA}."order_item"
         ("id", "order_id", "cart_item_id", "kind", "parent_order_item_id", "product_id", "sku", "position", "sub_position",
          "quantity", "unit_price", "line_total", "repriced", "batch")
       SELECT u."id", $1, u."cart_item_id", u."kind", u."parent", u."product_id", u."sku", u."position", u."sub_position",
              u."quantity", u."unit_price", u."line_total", u."repriced", $3
         FROM unnest($8::uuid[], $9::uuid[], $10::varchar[], $11::uuid[], $12::uuid[], $13::varchar[], $14::int[], $15::int[],
                     $16::int[], $17::numeric[], $18::numeric[], $19::boolean[])
           AS u("id", "cart_item_id", "kind", "parent", "product_id", "sku", "position", "sub_position", "quantity", "unit_price", "line_total", "repriced")
     )
     UPDATE ${SCHEMA}."orders" SET "status" = 'InProgress', "placement_cursor" = $2, "batch_number" = $3, "items_placed" = "items_placed" + $4,
            "subtotal" = $5, "discount" = $6, "total" = $7, "updated_at" = now(),
            "last_reported_at" = coalesce($20::timestamptz, "last_reported_at")
      WHERE "id" = $1`,
    [
      order.id,
      cursor,
      batchNumber,
      majors.length,
      totals.subtotal,
      totals.discount,
      totals.total,
      col('id'),
      col('cartItemId'),
      col('kind'),
      col('parentOrderItemId'),
      col('productId'),
      col('sku'),
      col('position'),
      col('subPosition'),
      col('quantity'),
      col('unitPrice'),
      col('lineTotal'),
      col('repriced'),
      lastReportedAt ?? null,
    ],
  );
}

/**
 * enqueueNext → enqueuePlace: the next batch is a command in this transaction's outbox. `holdMs`:
 * held back that long, for the consumer that commits this batch runs the next one itself (and
 * withdraws the command); it is delivered only if that consumer stops or dies first.
 */
export async function enqueueNext(outbox: Pick<OutboxWriter, 'add' | 'addHeldBack'>, order: OrderRow, nextBatch: number, holdMs?: number): Promise<PlaceBatchCommand> {
  const cmd = { operationId: order.operation_id, orderId: order.id, batch: nextBatch };
  if (holdMs) await outbox.addHeldBack(holdMs, placeBatchMessage(cmd));
  else await outbox.add(placeBatchMessage(cmd));
  return cmd;
}

/** Deterministic ids: a batch command written twice is deduplicated by the consumer. */
export function placeBatchMessage(cmd: PlaceBatchCommand) {
  return {
    exchange: ExchangeRole.Commands,
    routingKey: OrderPlacementCommands.PlaceBatch,
    body: cmd,
    messageId: nameBasedMessageId(`place-batch:${cmd.orderId}:${cmd.batch}`),
    headers: { [Headers.OperationId]: cmd.operationId },
  };
}
