import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RpcErrorCode, ZuoraOrderRecord, ZuoraRatePlanRecord, ZuoraSubscriptionRecord } from '@asyncops/contracts';
import { ServiceError } from '@asyncops/messaging';
import { SCHEMA } from '../../orders/order-row';

interface SubscriptionRow {
  id: string;
  order_id: string;
  subscription_number: string;
  account_number: string;
  account_id: string | null;
  account_name: string | null;
  order_number: string | null;
  currency: string | null;
  status: string;
  term_type: string;
  term_months: number | null;
  start_date: string;
  end_date: string | null;
  amount: string;
  created_at: Date;
  request: Record<string, unknown> | null;
}

const SUBSCRIPTION_SELECT = `
  SELECT s."id", s."order_id", s."subscription_number", s."account_number", a."id" AS "account_id", a."name" AS "account_name",
         o."order_number", o."currency", s."status", s."term_type", s."term_months",
         to_char(s."start_date", 'YYYY-MM-DD') AS "start_date",
         CASE WHEN s."term_type" = 'TERMED' AND s."term_months" IS NOT NULL
              THEN to_char(s."start_date" + make_interval(months => s."term_months"), 'YYYY-MM-DD') END AS "end_date",
         s."amount", s."created_at", o."request"
    FROM ${SCHEMA}."zuora_subscription" s
    JOIN ${SCHEMA}."zuora_order" o ON o."id" = s."order_id"
    LEFT JOIN ${SCHEMA}."zuora_account" a ON a."owner_id" = s."owner_id" AND a."account_number" = s."account_number"`;

type RequestSubscription = { subscriptionNumber?: string; orderActions?: Array<{ createSubscription?: { terms?: { autoRenew?: boolean } } }> };

/** autoRenew as the order asked for it: the request's subscription with that number, else the one at that position. */
function autoRenewOf(request: Record<string, unknown> | null, subscriptionNumber: string, index: number): boolean {
  const subs = Array.isArray(request?.subscriptions) ? (request.subscriptions as RequestSubscription[]) : [];
  const s = subs.find((x) => x.subscriptionNumber === subscriptionNumber) ?? subs.filter((x) => !x.subscriptionNumber)[index];
  return s?.orderActions?.[0]?.createSubscription?.terms?.autoRenew === true;
}

const notFound = (what: string, key: string) => new ServiceError(`${what.toUpperCase()}_NOT_FOUND`, RpcErrorCode.NotFound, `${what} ${key} does not exist.`, { codeInReply: false });

/** What a Zuora async job created, read back by its owner: an order with its subscriptions, or one subscription. */
@Injectable()
export class ZuoraReads {
  async order(m: EntityManager, ownerId: string, orderNumber: string): Promise<ZuoraOrderRecord> {
    const [order]: Array<{ id: string; order_number: string; order_date: string; account_number: string; currency: string | null; description: string | null; total: string | null; submitted_at: Date; finished_at: Date | null }> =
      await m.query(
        `SELECT "id", "order_number", to_char("order_date", 'YYYY-MM-DD') AS "order_date", "account_number", "currency", "request"->>'description' AS "description",
                "total", "submitted_at", "finished_at"
           FROM ${SCHEMA}."zuora_order"
          WHERE "owner_id" = $1 AND "order_number" = $2 AND "status" = 'Completed' AND "job_type" = 'AsyncCreateOrder'`,
        [ownerId, orderNumber],
      );
    if (!order) throw notFound('Order', orderNumber);
    const rows: SubscriptionRow[] = await m.query(`${SUBSCRIPTION_SELECT} WHERE s."order_id" = $1 ORDER BY s."subscription_number"`, [order.id]);
    return {
      orderNumber: order.order_number,
      orderDate: order.order_date,
      accountNumber: order.account_number,
      currency: order.currency,
      status: 'Completed',
      description: order.description,
      total: order.total,
      createdDate: order.submitted_at.toISOString(),
      updatedDate: (order.finished_at ?? order.submitted_at).toISOString(),
      subscriptions: await this.withRatePlans(m, rows),
    };
  }

  async subscription(m: EntityManager, ownerId: string, subscriptionNumber: string): Promise<ZuoraSubscriptionRecord> {
    const rows: SubscriptionRow[] = await m.query(`${SUBSCRIPTION_SELECT} WHERE s."owner_id" = $1 AND s."subscription_number" = $2`, [ownerId, subscriptionNumber]);
    if (!rows.length) throw notFound('Subscription', subscriptionNumber);
    const [siblings]: Array<{ n: number }> = await m.query(
      `SELECT count(*)::int AS "n" FROM ${SCHEMA}."zuora_subscription" WHERE "order_id" = $1 AND "subscription_number" < $2`,
      [rows[0].order_id, subscriptionNumber],
    );
    const [record] = await this.withRatePlans(m, rows, siblings.n);
    return record;
  }

  private async withRatePlans(m: EntityManager, rows: SubscriptionRow[], firstIndex = 0): Promise<ZuoraSubscriptionRecord[]> {
    if (!rows.length) return [];
    const plans: Array<{ id: string; subscription_id: string; product_id: string; sku: string; quantity: number; unit_price: string; amount: string }> = await m.query(
      `SELECT "id", "subscription_id", "product_id", "sku", "quantity", "unit_price", "amount" FROM ${SCHEMA}."zuora_rate_plan"
        WHERE "subscription_id" = ANY($1::uuid[]) ORDER BY "position"`,
      [rows.map((r) => r.id)],
    );
    const bySubscription = new Map<string, ZuoraRatePlanRecord[]>();
    for (const p of plans) {
      const list = bySubscription.get(p.subscription_id) ?? [];
      list.push({ id: p.id, productId: p.product_id, productRatePlanId: p.sku, quantity: p.quantity, unitPrice: p.unit_price, amount: p.amount });
      bySubscription.set(p.subscription_id, list);
    }
    return rows.map((r, i) => ({
      id: r.id,
      subscriptionNumber: r.subscription_number,
      accountId: r.account_id,
      accountNumber: r.account_number,
      accountName: r.account_name,
      orderNumber: r.order_number,
      currency: r.currency,
      status: r.status,
      termType: r.term_type,
      termMonths: r.term_months,
      autoRenew: autoRenewOf(r.request, r.subscription_number, firstIndex + i),
      startDate: r.start_date,
      endDate: r.end_date,
      amount: r.amount,
      createdDate: r.created_at.toISOString(),
      ratePlans: bySubscription.get(r.id) ?? [],
    }));
  }
}
