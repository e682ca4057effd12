import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { GetOrderSummaryRequest, ListOrderSummariesRequest, ListOrderSummariesResult, OrderSummaryView, RpcErrorCode } from '@asyncops/contracts';
import { ServiceError } from '@asyncops/messaging';
import { SCHEMA } from '../../orders/order-row';

interface SummaryRow {
  number: string;
  order_number: string;
  external_reference_identifier: string;
  ordered_date: Date;
  account_number: string;
  account_name: string;
  bill_to_contact_number: string | null;
  contact_name: string | null;
  currency_iso_code: string;
  grand_total_amount: string;
  total_product_amount: string;
  sales_channel_id: string | null;
  sales_store_id: string | null;
  pending_order_summary_number: string;
  created_at: Date;
}

const SUMMARY_COLUMNS = `s."number", s."order_number", s."external_reference_identifier", s."ordered_date", s."account_number", a."name" AS "account_name",
  s."bill_to_contact_number", c."name" AS "contact_name", s."currency_iso_code", s."grand_total_amount"::text AS "grand_total_amount",
  s."total_product_amount"::text AS "total_product_amount", s."sales_channel_id", s."sales_store_id", s."pending_order_summary_number", s."created_at"`;
const SUMMARY_FROM = `${SCHEMA}."order_summary" s JOIN ${SCHEMA}."shopper_account" a ON a."number" = s."account_number" LEFT JOIN ${SCHEMA}."shopper_contact" c ON c."number" = s."bill_to_contact_number"`;

/** Reads of the OrderSummary records conversion writes: one with its lines and a keyset-paged list (SOQL: queries/query). */
@Injectable()
export class OrderSummariesQuery {
  async get(m: EntityManager, req: GetOrderSummaryRequest): Promise<OrderSummaryView> {
    const [row] = (await m.query(`SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} WHERE s."owner_id" = $1 AND s."number" = $2`, [req.ownerId, req.number])) as SummaryRow[];
    // Another owner's summary is indistinguishable from a missing one.
    if (!row) throw new ServiceError('ORDER_SUMMARY_NOT_FOUND', RpcErrorCode.NotFound, `order summary ${req.number} not found`, { codeInReply: false });
    const items = (await m.query(
      `SELECT "line", "sku", "description", "quantity"::text AS "quantity", "unit_price"::text AS "unit_price", "total_price"::text AS "total_price"
       FROM ${SCHEMA}."order_item_summary" WHERE "order_summary_number" = $1 ORDER BY "line"`,
      [req.number],
    )) as Array<{ line: number; sku: string; description: string | null; quantity: string; unit_price: string; total_price: string }>;
    return {
      ...viewOf(row),
      items: items.map((i) => ({ line: Number(i.line), sku: i.sku, description: i.description, quantity: i.quantity, unitPrice: i.unit_price, totalPrice: i.total_price })),
    };
  }

  async list(m: EntityManager, req: ListOrderSummariesRequest): Promise<ListOrderSummariesResult> {
    const params: unknown[] = [req.ownerId];
    const where = ['s."owner_id" = $1'];
    if (req.before !== undefined) {
      params.push(req.before);
      where.push(`s."number" < $${params.length}`);
    }
    if (req.externalReferenceIdentifier !== undefined) {
      params.push(req.externalReferenceIdentifier);
      where.push(`s."external_reference_identifier" = $${params.length}`);
    }
    if (req.pendingOrderSummaryNumber !== undefined) {
      params.push(req.pendingOrderSummaryNumber);
      where.push(`s."pending_order_summary_number" = $${params.length}`);
    }
    params.push(req.limit + 1);
    const rows = (await m.query(`SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} WHERE ${where.join(' AND ')} ORDER BY s."number" DESC LIMIT $${params.length}`, params)) as SummaryRow[];
    return { items: rows.slice(0, req.limit).map(viewOf), hasMore: rows.length > req.limit };
  }
}

function viewOf(row: SummaryRow): OrderSummaryView {
  return {
    number: Number(row.number),
    orderNumber: row.order_number,
    externalReferenceIdentifier: row.external_reference_identifier,
    status: 'Created',
    orderedDate: new Date(row.ordered_date).toISOString(),
    accountNumber: Number(row.account_number),
    accountName: row.account_name,
    billToContactNumber: row.bill_to_contact_number === null ? null : Number(row.bill_to_contact_number),
    billToContactName: row.contact_name,
    currencyIsoCode: row.currency_iso_code,
    grandTotalAmount: row.grand_total_amount,
    totalAmount: row.total_product_amount,
    salesChannelId: row.sales_channel_id,
    salesStoreId: row.sales_store_id,
    pendingOrderSummaryNumber: Number(row.pending_order_summary_number),
    createdAt: new Date(row.created_at).toISOString(),
  };
}
