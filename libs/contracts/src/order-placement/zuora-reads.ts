import { IsString, Length } from 'class-validator';

/** Reads of what Zuora jobs created (commands exchange; answered by order-placement). */
export const ZuoraReadRpc = {
  GetOrder: 'order-placement.rpc.get-zuora-order',
  GetSubscription: 'order-placement.rpc.get-zuora-subscription',
} as const;

export class GetZuoraOrderRequest {
  @IsString()
  @Length(1, 255)
  ownerId!: string;

  @IsString()
  @Length(1, 100)
  orderNumber!: string;
}

export class GetZuoraSubscriptionRequest {
  @IsString()
  @Length(1, 255)
  ownerId!: string;

  @IsString()
  @Length(1, 100)
  subscriptionNumber!: string;
}

/** One rate plan of a subscription; money as decimal strings (numeric(18,4)). */
export interface ZuoraRatePlanRecord {
  id: string;
  productId: string;
  productRatePlanId: string;
  quantity: number;
  unitPrice: string;
  amount: string;
}

export interface ZuoraSubscriptionRecord {
  id: string;
  subscriptionNumber: string;
  accountId: string | null;
  accountNumber: string;
  accountName: string | null;
  orderNumber: string | null;
  currency: string | null;
  status: string;
  termType: string;
  termMonths: number | null;
  autoRenew: boolean;
  /** yyyy-mm-dd */
  startDate: string;
  /** yyyy-mm-dd; null for an evergreen subscription */
  endDate: string | null;
  amount: string;
  createdDate: string;
  ratePlans: ZuoraRatePlanRecord[];
}

export interface ZuoraOrderRecord {
  orderNumber: string;
  /** yyyy-mm-dd */
  orderDate: string;
  accountNumber: string;
  currency: string | null;
  status: string;
  description: string | null;
  total: string | null;
  createdDate: string;
  updatedDate: string;
  subscriptions: ZuoraSubscriptionRecord[];
}
