import { Type } from 'class-transformer';
import { MAX_SUBMITTED_EVENTS, type SubmittedJob } from '../events/operation-lifecycle';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { JobSubmissionRequest, NestedList, OptionalNestedList, stacked } from '../validation';

/** Request/reply routing keys answered by order-placement (commands exchange). */
export const OrderPlacementRpc = {
  UpsertProducts: 'order-placement.rpc.upsert-products',
  CreateCart: 'order-placement.rpc.create-cart',
  AddCartItems: 'order-placement.rpc.add-cart-items',
  GetCart: 'order-placement.rpc.get-cart',
  PlaceCart: 'order-placement.rpc.place-cart',
  GetOrder: 'order-placement.rpc.get-order',
  WithdrawHeldEvents: 'order-placement.rpc.withdraw-held-events',
} as const;

export const ORDER_PLACEMENT_RPC_PATTERN = 'order-placement.rpc.*';

/** Read-only requests answered by order-placement from a classic queue of their own. */
export const ORDER_PLACEMENT_READ_PATTERN = 'order-placement.read.*';

/** Commands order-placement sends itself: one message per placement batch (seed 004 placeAsync). */
export const OrderPlacementCommands = {
  PlaceBatch: 'order-placement.cmd.place-batch',
} as const;

export const ORDER_PLACEMENT_COMMANDS_PATTERN = 'order-placement.cmd.*';

/** Facts order-placement publishes on the events exchange. */
export const OrderEvents = {
  Placed: 'order.placed',
  Failed: 'order.failed',
} as const;

/** A money amount as a decimal string: never a JS float on the wire. */
export const MONEY_PATTERN = /^-?\d{1,14}(\.\d{1,4})?$/;
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
export const MAX_PRODUCTS_PER_REQUEST = 20_000;
export const MAX_CART_ITEMS_PER_REQUEST = 20_000;
export const MAX_MINOR_ITEMS_PER_ITEM = 50;

export class ProductInput {
  @Matches(SKU_PATTERN)
  sku!: string;

  @IsString()
  @Length(1, 255)
  name!: string;

  /** null: the product has no price in the price book (placement cannot reprice it). */
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(MONEY_PATTERN)
  unitPrice?: string | null;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  subscriptionMonths?: number;
}

export class UpsertProductsRequest {
  @IsString()
  @Length(1, 255)
  ownerId!: string;

  @NestedList(() => ProductInput, { max: MAX_PRODUCTS_PER_REQUEST })
  products!: ProductInput[];
}

export class CreateCartRequest {
  @IsString()
  @Length(1, 255)
  ownerId!: string;

  @Matches(CURRENCY_PATTERN)
  currency!: string;

  @IsOptional()
  @IsString()
  @Length(1, 80)
  paymentMethod?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  paymentTermDays?: number;
}

/** A cart line's quantity: any whole number in range, since a draft cart may hold ones placement refuses. */
const ItemQuantity = (): PropertyDecorator => stacked(IsInt(), Min(-1_000_000), Max(1_000_000));

export class MinorItemInput {
  @Matches(SKU_PATTERN)
  sku!: string;

  @ItemQuantity()
  quantity!: number;

  @IsOptional()
  @Matches(MONEY_PATTERN)
  unitPrice?: string;
}

export class CartItemInput {
  @Matches(SKU_PATTERN)
  sku!: string;

  @IsOptional()
  @IsIn(['major', 'coupon'])
  kind?: 'major' | 'coupon';

  /** Zero or negative quantities are accepted into a draft cart; placement names them as invalid. */
  @ItemQuantity()
  quantity!: number;

  /** Defaults to the product's price when the item is added. */
  @IsOptional()
  @Matches(MONEY_PATTERN)
  unitPrice?: string;

  @OptionalNestedList(() => MinorItemInput, MAX_MINOR_ITEMS_PER_ITEM)
  minorItems?: MinorItemInput[];
}

export class AddCartItemsRequest {
  @IsString()
  @Length(1, 255)
  ownerId!: string;

  @IsUUID()
  cartId!: string;

  @NestedList(() => CartItemInput, { max: MAX_CART_ITEMS_PER_REQUEST })
  items!: CartItemInput[];
}

export class GetCartRequest {
  @IsString()
  ownerId!: string;

  @IsUUID()
  cartId!: string;
}

/**
 * The tracker has recorded a placement's lifecycle events with its submit (`record-submitted`):
 * their held-back outbox copies, not yet relayed, are withdrawn, so they are never sent.
 */
export class WithdrawHeldEventsRequest {
  @IsString()
  ownerId!: string;

  @IsUUID()
  operationId!: string;

  /** The events' message ids, as the placement returned them (`SubmittedJob.events`). */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SUBMITTED_EVENTS)
  @IsUUID(undefined, { each: true })
  messageIds!: string[];
}

export interface WithdrawHeldEventsResult {
  /** Copies withdrawn: fewer when some were relayed already (they are duplicates the tracker ignores). */
  withdrawn: number;
}

export class PlaceCartRequest extends JobSubmissionRequest {
  @IsUUID()
  cartId!: string;

  /** ALLOW_PRICING_ON_ASYNC_ORDER: reprice items whose prices are older than the price book. */
  @IsOptional()
  @IsBoolean()
  allowRepricing?: boolean;
}

export class GetOrderRequest {
  @IsString()
  ownerId!: string;

  @IsUUID()
  orderId!: string;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5000)
  limit!: number;

  /** The last position of the previous page. */
  @IsOptional()
  @IsInt()
  @Min(0)
  after?: number;
}

export class PlaceBatchCommand {
  @IsUUID()
  operationId!: string;

  @IsUUID()
  orderId!: string;

  /** 1-based; a message whose batch is already committed is a no-op. */
  @IsInt()
  @Min(1)
  batch!: number;
}

/** Which order, placement job, cart and owner an order's outcome is about. */
abstract class OrderOutcome {
  @IsUUID()
  orderId!: string;

  @IsUUID()
  operationId!: string;

  @IsUUID()
  cartId!: string;

  @IsString()
  ownerId!: string;
}

export class OrderPlaced extends OrderOutcome {
  @Matches(CURRENCY_PATTERN)
  currency!: string;

  @Matches(MONEY_PATTERN)
  total!: string;

  @IsInt()
  @Min(0)
  itemCount!: number;

  @IsISO8601({ strict: true })
  placedAt!: string;
}

export class OrderFailed extends OrderOutcome {
  @IsString()
  @Length(1, 120)
  code!: string;

  @IsString()
  @Length(1, 4000)
  error!: string;

  @IsISO8601({ strict: true })
  failedAt!: string;
}

export interface CartView {
  id: string;
  ownerId: string;
  currency: string;
  status: string;
  pricesAsOf: string;
  majorItems: number;
  minorItems: number;
  coupons: number;
  subtotal: string;
  createdAt: string;
}

export interface AddCartItemsResult {
  cartId: string;
  added: number;
  addedMinorItems: number;
  cart: CartView;
}

export interface UpsertProductsResult {
  upserted: number;
}

export interface PlaceCartResult {
  orderId: string;
  operationId: string;
  cartId: string;
  /** Major items plus coupons: the units the tracker counts. */
  totalJobItems: number;
  /** The `operation.submitted` order-placement wrote, for the gateway to forward to the tracker. */
  submitted: SubmittedJob;
}

export interface OrderItemView {
  id: string;
  cartItemId: string;
  kind: 'major' | 'minor' | 'coupon';
  sku: string;
  parentOrderItemId: string | null;
  position: number;
  quantity: number;
  unitPrice: string;
  lineTotal: string;
}

export interface OrderView {
  id: string;
  ownerId: string;
  cartId: string;
  operationId: string;
  status: string;
  currency: string;
  subtotal: string;
  discount: string;
  total: string;
  itemsPlaced: number;
  batchesDone: number;
  errorCode: string | null;
  error: string | null;
  submittedAt: string;
  placedAt: string | null;
  items: OrderItemView[];
  /** Pass as `after` to read the next page of items; null on the last page. */
  nextAfter: number | null;
}
