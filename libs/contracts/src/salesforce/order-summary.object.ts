import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { ORDER_SUMMARY_STATUSES } from '@asyncops/soql';
import { OwnedRecordRef } from '../validation';

/** Request/reply routing keys order-placement answers for OrderSummary. */
export const OrderSummaryRpc = {
  Get: 'order-placement.rpc.get-order-summary',
  List: 'order-placement.rpc.list-order-summaries',
} as const;

export class GetOrderSummaryRequest extends OwnedRecordRef {}

export interface OrderItemSummaryView {
  line: number;
  sku: string;
  description: string | null;
  /** Decimal strings, as stored. */
  quantity: string;
  unitPrice: string;
  totalPrice: string;
}

export interface OrderSummaryView {
  number: number;
  orderNumber: string;
  externalReferenceIdentifier: string;
  status: (typeof ORDER_SUMMARY_STATUSES)[number];
  orderedDate: string;
  accountNumber: number;
  accountName: string;
  billToContactNumber: number | null;
  billToContactName: string | null;
  currencyIsoCode: string;
  grandTotalAmount: string;
  totalAmount: string;
  salesChannelId: string | null;
  salesStoreId: string | null;
  /** The PendingOrderSummary it was converted from (that record no longer exists). */
  pendingOrderSummaryNumber: number;
  createdAt: string;
  /** The lines; absent in list answers (read one summary for them). */
  items?: OrderItemSummaryView[];
}

/** The native list: newest first, keyset-paged by record number. */
export class ListOrderSummariesRequest {
  @IsString()
  ownerId!: string;

  @IsInt()
  @Min(1)
  @Max(200)
  limit!: number;

  /** Only summaries with a lower number (the last one of the previous page). */
  @IsOptional()
  @IsInt()
  @Min(1)
  before?: number;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  externalReferenceIdentifier?: string;

  /** Only the summary this PendingOrderSummary (by number) was converted into. */
  @IsOptional()
  @IsInt()
  @Min(1)
  pendingOrderSummaryNumber?: number;
}

export interface ListOrderSummariesResult {
  items: OrderSummaryView[];
  hasMore: boolean;
}
