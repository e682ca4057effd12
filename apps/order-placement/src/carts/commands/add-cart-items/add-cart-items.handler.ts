import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AddCartItemsRequest, AddCartItemsResult } from '@asyncops/contracts';
import { CartNotFoundError, CartNotOpenError, UnknownProductsError } from '../../../errors';
import { toMoney } from '../../../money';
import { findCart, SCHEMA } from '../../../orders/order-row';
import type { BatchCartItem } from '../../../placement/batch-planning';
import { loadCartView } from '../../cart-view';

/** A row to insert: the cart item columns placement later reads back as a BatchCartItem. */
type NewItem = Pick<BatchCartItem, 'id' | 'kind' | 'parentId' | 'productId' | 'sku' | 'quantity' | 'unitPrice' | 'position' | 'subPosition'>;

/**
 * Adds any number of items in one transaction: the cart is locked so positions stay dense and
 * unique, and every row goes in with one statement per level (major items and coupons, then the
 * minor items under them). Items are accepted as entered; placement judges them.
 */
@Injectable()
export class AddCartItemsHandler {
  async execute(m: EntityManager, req: AddCartItemsRequest): Promise<AddCartItemsResult> {
    const cart = await findCart(m, req.cartId, req.ownerId, true);
    if (!cart) throw new CartNotFoundError(req.cartId);
    if (cart.status !== 'Open') throw new CartNotOpenError(cart.id, cart.status);

    const skus = [...new Set(req.items.flatMap((i) => [i.sku, ...(i.minorItems ?? []).map((x) => x.sku)]))];
    const products: Array<{ id: string; sku: string; unit_price: string | null }> = await m.query(
      `SELECT "id", "sku", "unit_price" FROM ${SCHEMA}."product" WHERE "owner_id" = $1 AND "sku" = ANY($2::varchar[])`,
      [req.ownerId, skus],
    );
    const bySku = new Map(products.map((p) => [p.sku, p]));
    const unknown = skus.filter((s) => !bySku.has(s));
    if (unknown.length) throw new UnknownProductsError(unknown);

    // Every sku was resolved above, so the lookup cannot miss.
    const productId = (sku: string) => (bySku.get(sku) as { id: string }).id;
    const price = (given: string | undefined, sku: string) => (given !== undefined ? toMoney(given) : (bySku.get(sku)?.unit_price ?? null));
    const heads: NewItem[] = [];
    const minors: NewItem[] = [];
    req.items.forEach((item, i) => {
      const id = randomUUID();
      const position = cart.next_position + i;
      heads.push({ id, kind: item.kind ?? 'major', parentId: null, productId: productId(item.sku), sku: item.sku, quantity: item.quantity, unitPrice: price(item.unitPrice, item.sku), position, subPosition: 0 });
      (item.minorItems ?? []).forEach((minor, j) =>
        minors.push({ id: randomUUID(), kind: 'minor', parentId: id, productId: productId(minor.sku), sku: minor.sku, quantity: minor.quantity, unitPrice: price(minor.unitPrice, minor.sku), position, subPosition: j + 1 }),
      );
    });
    await insertItems(m, cart.id, heads);
    await insertItems(m, cart.id, minors);
    // An empty cart is priced as of its first items; later additions keep the older mark, so
    // prices already in the cart are still judged against the price book.
    await m.query(
      `UPDATE ${SCHEMA}."cart" SET "next_position" = "next_position" + $2, "updated_at" = now(),
              "prices_as_of" = CASE WHEN "next_position" = 0 THEN now() ELSE "prices_as_of" END
        WHERE "id" = $1`,
      [cart.id, heads.length],
    );
    const updated = await findCart(m, cart.id);
    return { cartId: cart.id, added: heads.length, addedMinorItems: minors.length, cart: await loadCartView(m, updated as NonNullable<typeof updated>) };
  }
}

async function insertItems(m: EntityManager, cartId: string, items: NewItem[]): Promise<void> {
  if (!items.length) return;
  const col = <K extends keyof NewItem>(k: K) => items.map((i) => i[k]);
  await m.query(
    `INSERT INTO ${SCHEMA}."cart_item" ("id", "cart_id", "kind", "parent_id", "product_id", "sku", "quantity", "unit_price", "position", "sub_position")
     SELECT u."id", $1, u."kind", u."parent_id", u."product_id", u."sku", u."quantity", u."unit_price", u."position", u."sub_position"
       FROM unnest($2::uuid[], $3::varchar[], $4::uuid[], $5::uuid[], $6::varchar[], $7::int[], $8::numeric[], $9::int[], $10::int[])
         AS u("id", "kind", "parent_id", "product_id", "sku", "quantity", "unit_price", "position", "sub_position")`,
    [cartId, col('id'), col('kind'), col('parentId'), col('productId'), col('sku'), col('quantity'), col('unitPrice'), col('position'), col('subPosition')],
  );
}
