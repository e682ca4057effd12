import type { EntityManager } from 'typeorm';
import { ORDER_PLACEMENT_SCHEMA } from '../config';

/** The schema, quoted for SQL. */
export const SCHEMA = `"${ORDER_PLACEMENT_SCHEMA}"`;

export type OrderStatus = 'Submitted' | 'InProgress' | 'Placed' | 'Failed';

export interface OrderRow {
  id: string;
  owner_id: string;
  cart_id: string;
  operation_id: string;
  status: OrderStatus;
  currency: string;
  allow_repricing: boolean;
  subtotal: string;
  discount: string;
  total: string;
  total_job_items: number;
  items_placed: number;
  placement_cursor: number;
  batch_number: number;
  error_code: string | null;
  error: string | null;
  request_id: string | null;
  submitted_at: Date;
  placed_at: Date | null;
  failed_at: Date | null;
  last_reported_at: Date | null;
  cancel_requested_at: Date | null;
}

export interface CartRow {
  id: string;
  owner_id: string;
  currency: string;
  status: 'Open' | 'Placing' | 'Closed';
  prices_as_of: Date;
  payment_method: string | null;
  payment_term_days: number | null;
  next_position: number;
  created_at: Date;
}

/** Serialises every batch of one order: a duplicated batch message waits here, then sees the cursor moved. */
export async function lockOrder(m: EntityManager, orderId: string): Promise<OrderRow | undefined> {
  const rows: OrderRow[] = await m.query(`SELECT * FROM ${SCHEMA}."orders" WHERE "id" = $1 FOR UPDATE`, [orderId]);
  return rows[0];
}

export async function findCart(m: EntityManager, cartId: string, ownerId?: string, lock = false): Promise<CartRow | undefined> {
  const params: unknown[] = [cartId];
  let where = '"id" = $1';
  if (ownerId !== undefined) {
    params.push(ownerId);
    where += ' AND "owner_id" = $2';
  }
  const rows: CartRow[] = await m.query(`SELECT * FROM ${SCHEMA}."cart" WHERE ${where}${lock ? ' FOR UPDATE' : ''}`, params);
  return rows[0];
}
