import type { EntityManager } from 'typeorm';
import { CartView } from '@asyncops/contracts';
import { CartRow, SCHEMA } from '../orders/order-row';

/** The cart with its counts; the subtotal is summed by PostgreSQL in numeric, never in floats. */
export async function loadCartView(m: EntityManager, cart: CartRow): Promise<CartView> {
  const [c]: Array<{ major: number; minor: number; coupons: number; subtotal: string }> = await m.query(
    `SELECT count(*) FILTER (WHERE "kind" = 'major')::int AS major,
            count(*) FILTER (WHERE "kind" = 'minor')::int AS minor,
            count(*) FILTER (WHERE "kind" = 'coupon')::int AS coupons,
            (coalesce(sum("quantity" * "unit_price") FILTER (WHERE "kind" <> 'coupon'), 0)
              - coalesce(sum(abs("quantity" * "unit_price")) FILTER (WHERE "kind" = 'coupon'), 0))::numeric(18,4)::text AS subtotal
       FROM ${SCHEMA}."cart_item" WHERE "cart_id" = $1`,
    [cart.id],
  );
  return {
    id: cart.id,
    ownerId: cart.owner_id,
    currency: cart.currency.trim(),
    status: cart.status,
    pricesAsOf: cart.prices_as_of.toISOString(),
    majorItems: c.major,
    minorItems: c.minor,
    coupons: c.coupons,
    subtotal: c.subtotal,
    createdAt: cart.created_at.toISOString(),
  };
}
