import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CartView, CreateCartRequest } from '@asyncops/contracts';
import { findCart, SCHEMA } from '../../../orders/order-row';
import { loadCartView } from '../../cart-view';

@Injectable()
export class CreateCartHandler {
  async execute(m: EntityManager, req: CreateCartRequest): Promise<CartView> {
    const id = randomUUID();
    await m.query(
      `INSERT INTO ${SCHEMA}."cart" ("id", "owner_id", "currency", "status", "payment_method", "payment_term_days") VALUES ($1, $2, $3, 'Open', $4, $5)`,
      [id, req.ownerId, req.currency, req.paymentMethod ?? null, req.paymentTermDays ?? null],
    );
    const cart = await findCart(m, id);
    return loadCartView(m, cart as NonNullable<typeof cart>);
  }
}
