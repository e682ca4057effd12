import type { EntityManager } from 'typeorm';
import { ExchangeRole, OrderEvents, OrderFailed } from '@asyncops/contracts';
import type { OutboxWriter } from '@asyncops/messaging';
import { nameBasedMessageId } from '../../message-ids';
import { OrderRow, SCHEMA } from '../../orders/order-row';

/**
 * updateOrderOnError: the order records why it failed. The cart opens again so its owner can
 * fix it and place it anew; order items of committed batches stay, as seed 004 prescribes.
 */
export async function updateOrderOnError(m: EntityManager, order: OrderRow, code: string, error: string): Promise<Date> {
  // TypeORM answers an UPDATE with [rows, affected].
  const [[row]]: [Array<{ failed_at: Date }>, number] = await m.query(
    `UPDATE ${SCHEMA}."orders" SET "status" = 'Failed', "error_code" = $2, "error" = $3, "failed_at" = now(), "updated_at" = now()
      WHERE "id" = $1 RETURNING "failed_at"`,
    [order.id, code, error.slice(0, 4000)],
  );
  await m.query(`UPDATE ${SCHEMA}."cart" SET "status" = 'Open', "updated_at" = now() WHERE "id" = $1 AND "status" = 'Placing'`, [order.cart_id]);
  return row.failed_at;
}

/** sendOrderFail: `order.failed`, with the same fixed-id guarantee as the confirmation. */
export async function sendOrderFail(outbox: Pick<OutboxWriter, 'add'>, order: OrderRow, code: string, error: string, failedAt: Date): Promise<void> {
  const body: OrderFailed = {
    orderId: order.id,
    operationId: order.operation_id,
    cartId: order.cart_id,
    ownerId: order.owner_id,
    code,
    error: error.slice(0, 4000),
    failedAt: failedAt.toISOString(),
  };
  await outbox.add({ exchange: ExchangeRole.Events, routingKey: OrderEvents.Failed, body, messageId: nameBasedMessageId(`order.failed:${order.id}`) });
}
