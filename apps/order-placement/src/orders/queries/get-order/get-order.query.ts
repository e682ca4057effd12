import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { GetOrderRequest, OrderItemView, OrderView } from '@asyncops/contracts';
import { OrderNotFoundError } from '../../../errors';
import { OrderRow, SCHEMA } from '../../order-row';

interface OrderItemRow {
  id: string;
  cart_item_id: string;
  kind: OrderItemView['kind'];
  sku: string;
  parent_order_item_id: string | null;
  position: number;
  quantity: number;
  unit_price: string;
  line_total: string;
}

/** The order and a page of its items: `limit` major items and coupons after `after`, each with its minor items. */
@Injectable()
export class GetOrderQuery {
  async execute(m: EntityManager, req: GetOrderRequest): Promise<OrderView> {
    const [o]: OrderRow[] = await m.query(`SELECT * FROM ${SCHEMA}."orders" WHERE "id" = $1 AND "owner_id" = $2`, [req.orderId, req.ownerId]);
    if (!o) throw new OrderNotFoundError(req.orderId);
    const heads: OrderItemRow[] = req.limit
      ? await m.query(
          `SELECT * FROM ${SCHEMA}."order_item" WHERE "order_id" = $1 AND "parent_order_item_id" IS NULL AND "position" > $2 ORDER BY "position" LIMIT $3`,
          [o.id, req.after ?? -1, req.limit + 1],
        )
      : [];
    const page = heads.slice(0, req.limit);
    const minors: OrderItemRow[] = page.length
      ? await m.query(`SELECT * FROM ${SCHEMA}."order_item" WHERE "parent_order_item_id" = ANY($1::uuid[]) ORDER BY "position", "sub_position"`, [
          page.map((h) => h.id),
        ])
      : [];
    const minorsByParent = new Map<string, OrderItemRow[]>();
    for (const x of minors) minorsByParent.set(x.parent_order_item_id as string, [...(minorsByParent.get(x.parent_order_item_id as string) ?? []), x]);
    const items = page.flatMap((h) => [h, ...(minorsByParent.get(h.id) ?? [])]).map(toItemView);
    return {
      id: o.id,
      ownerId: o.owner_id,
      cartId: o.cart_id,
      operationId: o.operation_id,
      status: o.status,
      currency: o.currency.trim(),
      subtotal: o.subtotal,
      discount: o.discount,
      total: o.total,
      itemsPlaced: o.items_placed,
      batchesDone: o.batch_number,
      errorCode: o.error_code,
      error: o.error,
      submittedAt: o.submitted_at.toISOString(),
      placedAt: o.placed_at?.toISOString() ?? null,
      items,
      nextAfter: heads.length > req.limit ? page[page.length - 1].position : null,
    };
  }
}

function toItemView(r: OrderItemRow): OrderItemView {
  return {
    id: r.id,
    cartItemId: r.cart_item_id,
    kind: r.kind,
    sku: r.sku,
    parentOrderItemId: r.parent_order_item_id,
    position: r.position,
    quantity: r.quantity,
    unitPrice: r.unit_price,
    lineTotal: r.line_total,
  };
}
