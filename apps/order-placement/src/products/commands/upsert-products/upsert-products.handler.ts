import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UpsertProductsRequest, UpsertProductsResult } from '@asyncops/contracts';
import { DuplicateSkuError } from '../../../errors';
import { SCHEMA } from '../../../orders/order-row';

/**
 * Creates or replaces the owner's products in one statement. A changed price moves the price
 * book's timestamp, which is what makes carts priced before it stale.
 */
@Injectable()
export class UpsertProductsHandler {
  async execute(m: EntityManager, req: UpsertProductsRequest): Promise<UpsertProductsResult> {
    const seen = new Set<string>();
    for (const p of req.products) {
      if (seen.has(p.sku)) throw new DuplicateSkuError(p.sku);
      seen.add(p.sku);
    }
    const col = <T>(f: (p: UpsertProductsRequest['products'][number]) => T) => req.products.map(f);
    await m.query(
      `INSERT INTO ${SCHEMA}."product" AS p ("owner_id", "sku", "name", "unit_price", "active", "subscription_months")
       SELECT $1, u."sku", u."name", u."unit_price", u."active", u."months"
         FROM unnest($2::varchar[], $3::varchar[], $4::numeric[], $5::boolean[], $6::int[]) AS u("sku", "name", "unit_price", "active", "months")
       ON CONFLICT ("owner_id", "sku") DO UPDATE SET
         "name" = EXCLUDED."name", "active" = EXCLUDED."active", "subscription_months" = EXCLUDED."subscription_months",
         "unit_price" = EXCLUDED."unit_price",
         "price_book_updated_at" = CASE WHEN p."unit_price" IS DISTINCT FROM EXCLUDED."unit_price" THEN now() ELSE p."price_book_updated_at" END,
         "updated_at" = now()`,
      [
        req.ownerId,
        col((p) => p.sku),
        col((p) => p.name),
        col((p) => p.unitPrice ?? null),
        col((p) => p.active ?? true),
        col((p) => p.subscriptionMonths ?? null),
      ],
    );
    return { upserted: req.products.length };
  }
}
