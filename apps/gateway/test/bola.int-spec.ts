import 'reflect-metadata';
import { OperationEvents } from '@asyncops/contracts';
import { createTestDatabase, readOnlyDatabaseUrl, revenueCloudPlaceBody, ServiceProcess, SseClient, TestBroker, TestDatabase, uniquePrefix, waitFor } from '@asyncops/testing';
import { hashSecret } from '../src/core/auth/secret-hash';
import { toAsyncActionId } from '../src/dialects/voucherify/async-action-id';
import { gatewayRoutes } from './gateway-routes';

const A = { id: 'acme-erp', secret: 'acme-secret-1' };
const B = { id: 'globex-shop', secret: 'globex-secret-2' };
const V = 'v62.0';
const START_TIMEOUT_MS = 180_000;
/** order-placement's and the importer's queues (named here to keep the gateway's tests free of its code), deleted on teardown. */
const IMPORTER_QUEUES = ['importer.rpc', 'importer.commands', 'importer.cancellations'];
const ORDER_PLACEMENT_QUEUES = ['order-placement.rpc', 'order-placement.commands', 'order-placement.conversion', 'order-placement.cancellations'];

interface Ids {
  operation: string;
  salesforceId: string;
  webhook: string;
  locator: string;
  cart: string;
  order: string;
  zuoraOrder: string;
  subscription: string;
  zuoraAccount: string;
  /** A pending order summary whose conversion failed, so it stays pending. */
  pending: string;
  /** A pending order summary that became an OrderSummary, and that summary. */
  converted: string;
  orderSummary: string;
  convertedRef: string;
  /** A's imported campaign (by name and by id), its voucher (by code and by id) and a customer (by source id and by id). */
  campaignName: string;
  campaign: string;
  voucherCode: string;
  voucher: string;
  customerSourceId: string;
  customer: string;
  /** One of A's operations the event-stream case changes (so A's other objects stay as they were). */
  streamed: string;
}

type StreamedChange = { operationId: string; status: string };

type Call = { method: string; path: string; body?: unknown; headers?: Record<string, string>; form?: () => FormData };
/** Client B's request with client A's ids, and what must come back. */
type ForeignIdCase = { kind: 'foreign-id'; call: (ids: Ids) => Call | Call[]; expect: (res: Response) => Promise<void> };
/** A route without an object id: B's answer must not contain any of A's ids. */
type OwnScopeCase = { kind: 'own-scope'; call: (ids: Ids) => Call | Call[] };
/** No client data behind the route (health, token, descriptions). */
type NoDataCase = { kind: 'no-data'; why: string };
/** The live event stream: exercised by its own test below (B's streams, filtered by A's ids or not, carry none of A's events). */
type StreamCase = { kind: 'stream' };
type Case = ForeignIdCase | OwnScopeCase | NoDataCase | StreamCase;

const native404 = async (res: Response) => {
  expect(res.status).toBe(404);
  expect(await res.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
};
const salesforce404 = async (res: Response) => {
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual([expect.objectContaining({ errorCode: 'NOT_FOUND' })]);
};
const voucherify404 = async (res: Response) => {
  expect(res.status).toBe(404);
  expect(await res.json()).toMatchObject({ code: 404, key: 'not_found' });
};
const zuora404 = async (res: Response) => {
  expect(res.status).toBe(404);
  expect(await res.json()).toMatchObject({ success: false });
};
const invalidLocator = async (res: Response) => {
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual([expect.objectContaining({ errorCode: 'INVALID_QUERY_LOCATOR' })]);
};

/** sObject Collections answer 200 with a null in place of a record the caller may not see. */
const collectionOfNulls = async (res: Response) => {
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual([null]);
};
/** A collection delete answers per id: another owner's record is not deleted. */
const collectionRefused = async (res: Response) => {
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual([expect.objectContaining({ success: false })]);
};

/** B's Revenue Cloud order or quote of a product only A has: accepted, then priced as an unknown product. */
const A_ONLY_SKU = 'BOLA-A-ONLY';
const placeGraph = (kind: 'Order' | 'Quote') =>
  revenueCloudPlaceBody(kind, { CurrencyIsoCode: 'USD', ShippingCountryCode: 'US', ShippingStateCode: 'CA' }, [{ sku: A_ONLY_SKU, quantity: 1 }]);
/** B's Zuora order on A's account number: accepted, then the job must fail without touching A's account. */
const zuoraOrderOn = (account: string) => ({
  orderDate: '2026-11-24',
  existingAccountNumber: account,
  subscriptions: [
    {
      orderActions: [
        {
          type: 'CreateSubscription',
          createSubscription: { subscribeToRatePlans: [{ productRatePlanId: 'BOLA-PLAN' }], terms: { initialTerm: { period: 12, periodType: 'Month', termType: 'TERMED' } } },
        },
      ],
    },
  ],
});
/** Source ids of A's imported product, SKU and order; B's imports name them too. */
const A_PRODUCT = 'bola-a-product';
const A_SKU = 'bola-a-sku';
const A_ORDER = 'bola-a-order';
/** A CSV upload in the field Voucherify uses. */
const csv = (content: string) => () => {
  const form = new FormData();
  form.append('file', new Blob([content], { type: 'text/csv' }), 'import.csv');
  return form;
};

/** A pending order summary in Salesforce's shape; a zero quantity makes its conversion fail, so it stays pending. */
const pendingOrder = (ref: string, quantity = 1) => ({
  ExternalReferenceIdentifier: ref,
  OrderNumber: `ON-${ref}`,
  OrderedDate: '2026-11-24T10:00:00.000Z',
  ShopperName: 'Shopper',
  BillingEmailAddress: 'shopper@example.com',
  CurrencyIsoCode: 'EUR',
  GrandTotalAmount: '2.50',
  PayloadType: 'JSON_RAW',
  Payload: JSON.stringify({ orderItems: [{ sku: 'SKU-1', quantity, unitPrice: '2.50', description: 'line 1' }] }),
});

/** One entry per route of the gateway; a route added without an entry fails the suite. */
const CASES: Record<string, Case> = {
  'GET /health/live': { kind: 'no-data', why: 'probe' },
  'GET /health/ready': { kind: 'no-data', why: 'probe' },
  'POST /oauth/token': { kind: 'no-data', why: 'credentials, limited per address' },
  'POST /services/oauth2/token': { kind: 'no-data', why: 'credentials, limited per address' },
  'GET /services/data': { kind: 'no-data', why: 'API versions' },
  'GET /services/data/:version': { kind: 'no-data', why: 'resources of a version' },
  'GET /services/data/:version/sobjects': { kind: 'no-data', why: 'object list' },
  'GET /services/data/:version/sobjects/:object/describe': { kind: 'no-data', why: 'object description' },
  'GET /services/data/:version/sobjects/:object/describe/layouts': { kind: 'no-data', why: 'object description' },
  'GET /services/data/:version/sobjects/:object': { kind: 'no-data', why: 'object description' },
  'GET /services/data/:version/sobjects/PendingOrderSummary/describe': { kind: 'no-data', why: 'object description' },
  'GET /services/data/:version/sobjects/PendingOrderSummary/describe/compactLayouts': { kind: 'no-data', why: 'object description' },
  'GET /services/data/:version/sobjects/PendingOrderSummary/quickActions': { kind: 'no-data', why: 'object description' },
  'GET /services/data/:version/sobjects/PendingOrderSummary': { kind: 'no-data', why: 'object description' },

  'GET /api/v1/operations': { kind: 'own-scope', call: () => ({ method: 'GET', path: '/api/v1/operations?limit=200' }) },
  'POST /api/v1/operations': {
    // An idempotency key A used: B's request with the same key is B's own, never a replay of A's.
    kind: 'own-scope',
    call: () => ({ method: 'POST', path: '/api/v1/operations', body: { jobType: 'PlaceOrder', correlationIdentifier: 'bola-a' }, headers: { 'idempotency-key': 'shared-key-1' } }),
  },
  'GET /api/v1/operations/:id': { kind: 'foreign-id', call: (ids) => ({ method: 'GET', path: `/api/v1/operations/${ids.operation}` }), expect: native404 },
  'POST /api/v1/operations/:id/cancel': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'POST', path: `/api/v1/operations/${ids.operation}/cancel`, body: { reason: 'intruder' } }),
    expect: native404,
  },
  'GET /api/v1/operations/:id/failures': { kind: 'foreign-id', call: (ids) => ({ method: 'GET', path: `/api/v1/operations/${ids.operation}/failures` }), expect: native404 },
  'GET /api/v1/operations/:id/webhook-deliveries': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'GET', path: `/api/v1/operations/${ids.operation}/webhook-deliveries` }),
    expect: native404,
  },
  'GET /api/v1/events': { kind: 'stream' },
  'POST /api/v1/webhooks': { kind: 'own-scope', call: () => ({ method: 'POST', path: '/api/v1/webhooks', body: { url: 'http://93.184.216.34/b', events: ['finished'] } }) },
  'GET /api/v1/webhooks': { kind: 'own-scope', call: () => ({ method: 'GET', path: '/api/v1/webhooks' }) },
  'DELETE /api/v1/webhooks/:id': { kind: 'foreign-id', call: (ids) => ({ method: 'DELETE', path: `/api/v1/webhooks/${ids.webhook}` }), expect: native404 },
  'POST /api/v1/webhooks/:id/rotate-secret': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'POST', path: `/api/v1/webhooks/${ids.webhook}/rotate-secret` }),
    expect: native404,
  },

  'GET /v1/async-actions': { kind: 'own-scope', call: () => ({ method: 'GET', path: '/v1/async-actions?limit=100' }) },
  'GET /v1/async-actions/:id': { kind: 'foreign-id', call: (ids) => ({ method: 'GET', path: `/v1/async-actions/${toAsyncActionId(ids.operation)}` }), expect: voucherify404 },
  'GET /v1/async-actions/:id/report': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'GET', path: `/v1/async-actions/${toAsyncActionId(ids.operation)}/report` }),
    expect: voucherify404,
  },
  'GET /v1/async-jobs/:jobId': { kind: 'foreign-id', call: (ids) => ({ method: 'GET', path: `/v1/async-jobs/${ids.operation}` }), expect: zuora404 },

  'GET /services/data/:version/sobjects/:object/:id': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'GET', path: `/services/data/${V}/sobjects/AsyncOperationTracker/${ids.salesforceId}` }),
    expect: salesforce404,
  },
  'DELETE /services/data/:version/sobjects/:object/:id': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'DELETE', path: `/services/data/${V}/sobjects/AsyncOperationTracker/${ids.salesforceId}` }),
    expect: salesforce404,
  },
  'GET /services/data/:version/query': { kind: 'own-scope', call: () => ({ method: 'GET', path: `/services/data/${V}/query?q=${encodeURIComponent('SELECT Id FROM AsyncOperationTracker')}` }) },
  'GET /services/data/:version/queryAll': {
    kind: 'own-scope',
    call: () => ({ method: 'GET', path: `/services/data/${V}/queryAll?q=${encodeURIComponent('SELECT Id FROM AsyncOperationTracker')}` }),
  },
  'GET /services/data/:version/query/:locator': { kind: 'foreign-id', call: (ids) => ({ method: 'GET', path: `/services/data/${V}/query/${ids.locator}` }), expect: invalidLocator },
  'GET /services/data/:version/queryAll/:locator': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'GET', path: `/services/data/${V}/queryAll/${ids.locator}` }),
    expect: invalidLocator,
  },
  'GET /services/data/:version/sobjects/:object/updated': {
    kind: 'own-scope',
    call: () => ({ method: 'GET', path: `/services/data/${V}/sobjects/AsyncOperationTracker/updated/?start=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&end=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}` }),
  },
  'GET /services/data/:version/sobjects/:object/deleted': {
    kind: 'own-scope',
    call: () => ({ method: 'GET', path: `/services/data/${V}/sobjects/AsyncOperationTracker/deleted/?start=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&end=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}` }),
  },

  'POST /services/data/:version/composite/sobjects/:object': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'POST', path: `/services/data/${V}/composite/sobjects/AsyncOperationTracker`, body: { ids: [ids.salesforceId], fields: ['Id', 'Status'] } }),
    expect: collectionOfNulls,
  },
  'GET /services/data/:version/composite/sobjects/:object': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'GET', path: `/services/data/${V}/composite/sobjects/AsyncOperationTracker?ids=${ids.salesforceId}&fields=Id,Status` }),
    expect: collectionOfNulls,
  },
  'DELETE /services/data/:version/composite/sobjects': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'DELETE', path: `/services/data/${V}/composite/sobjects?ids=${ids.salesforceId}&allOrNone=false` }),
    expect: collectionRefused,
  },
  'GET /services/data/:version/limits': { kind: 'own-scope', call: () => ({ method: 'GET', path: `/services/data/${V}/limits` }) },
  'GET /services/data/:version/sobjects/OrderSummary': { kind: 'no-data', why: 'object description' },
  'GET /services/data/:version/sobjects/OrderSummary/describe': { kind: 'no-data', why: 'object description' },
  'GET /services/data/:version/sobjects/OrderSummary/:id': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'GET', path: `/services/data/${V}/sobjects/OrderSummary/${ids.orderSummary}` }),
    expect: salesforce404,
  },
  'GET /api/v1/order-summaries': { kind: 'own-scope', call: (ids) => ({ method: 'GET', path: `/api/v1/order-summaries?limit=100&externalReferenceIdentifier=${encodeURIComponent(ids.convertedRef)}` }) },
  'GET /api/v1/order-summaries/:id': { kind: 'foreign-id', call: (ids) => ({ method: 'GET', path: `/api/v1/order-summaries/${ids.orderSummary}` }), expect: native404 },
  'GET /v1/orders/:orderNumber': { kind: 'foreign-id', call: (ids) => ({ method: 'GET', path: `/v1/orders/${ids.zuoraOrder}` }), expect: zuora404 },
  'GET /v1/subscriptions/:subscriptionNumber': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'GET', path: `/v1/subscriptions/${ids.subscription}` }),
    expect: zuora404,
  },
  'GET /v1/vouchers/:code': { kind: 'foreign-id', call: (ids) => [ids.voucherCode, ids.voucher].map((k) => ({ method: 'GET', path: `/v1/vouchers/${k}` })), expect: voucherify404 },
  'GET /v1/campaigns/:campaignId': { kind: 'foreign-id', call: (ids) => [ids.campaignName, ids.campaign].map((k) => ({ method: 'GET', path: `/v1/campaigns/${k}` })), expect: voucherify404 },
  'GET /v1/customers/:customerId': { kind: 'foreign-id', call: (ids) => [ids.customerSourceId, ids.customer].map((k) => ({ method: 'GET', path: `/v1/customers/${k}` })), expect: voucherify404 },
  'GET /services/data/:version/sobjects/PendingOrderSummary/:id': {
    // Also the converted one: B must not learn that it became an OrderSummary (ENTITY_IS_DELETED).
    kind: 'foreign-id',
    call: (ids) => [ids.pending, ids.converted].map((id) => ({ method: 'GET', path: `/services/data/${V}/sobjects/PendingOrderSummary/${id}` })),
    expect: salesforce404,
  },
  'DELETE /services/data/:version/sobjects/PendingOrderSummary/:id': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'DELETE', path: `/services/data/${V}/sobjects/PendingOrderSummary/${ids.pending}` }),
    expect: salesforce404,
  },
  'POST /services/data/:version/sobjects/PendingOrderSummary/:id': {
    kind: 'foreign-id',
    call: (ids) => [ids.pending, ids.converted].map((id) => ({ method: 'POST', path: `/services/data/${V}/sobjects/PendingOrderSummary/${id}` })),
    expect: salesforce404,
  },
  'POST /services/data/:version/sobjects/PendingOrderSummary': {
    // A's ExternalReferenceIdentifier is no duplicate for B (a duplicate error would name A's OrderSummary).
    kind: 'own-scope',
    call: (ids) => ({ method: 'POST', path: `/services/data/${V}/sobjects/PendingOrderSummary`, body: pendingOrder(ids.convertedRef) }),
  },
  'POST /services/data/:version/commerce/sales-orders/actions/place': {
    kind: 'own-scope',
    call: () => ({ method: 'POST', path: `/services/data/${V}/commerce/sales-orders/actions/place`, body: placeGraph('Order') }),
  },
  'POST /services/data/:version/commerce/quotes/actions/place': { kind: 'own-scope', call: () => ({ method: 'POST', path: `/services/data/${V}/commerce/quotes/actions/place`, body: placeGraph('Quote') }) },
  'POST /api/v1/pending-orders': { kind: 'own-scope', call: (ids) => ({ method: 'POST', path: '/api/v1/pending-orders', body: [pendingOrder(`${ids.convertedRef}-bulk`)] }) },
  'POST /api/v1/products': {
    // Products are per owner: B's product with A's SKU is B's own and leaves A's price alone.
    kind: 'own-scope',
    call: () => ({ method: 'POST', path: '/api/v1/products', body: { products: [{ sku: 'BOLA-MAJ', name: 'Intruder', unitPrice: '1.0000' }, { sku: 'BOLA-PLAN', name: 'Intruder plan', unitPrice: '1.0000' }] } }),
  },
  'POST /api/v1/carts': { kind: 'own-scope', call: () => ({ method: 'POST', path: '/api/v1/carts', body: { currency: 'USD', paymentMethod: 'po-1', paymentTermDays: 30 } }) },
  'POST /api/v1/carts/:id/items': {
    kind: 'foreign-id',
    call: (ids) => ({ method: 'POST', path: `/api/v1/carts/${ids.cart}/items`, body: { items: [{ sku: 'BOLA-MAJ', quantity: 5 }] } }),
    expect: native404,
  },
  'GET /api/v1/carts/:id': { kind: 'foreign-id', call: (ids) => ({ method: 'GET', path: `/api/v1/carts/${ids.cart}` }), expect: native404 },
  'POST /api/v1/carts/:id/place': { kind: 'foreign-id', call: (ids) => ({ method: 'POST', path: `/api/v1/carts/${ids.cart}/place`, body: {} }), expect: native404 },
  'GET /api/v1/orders/:id': { kind: 'foreign-id', call: (ids) => ({ method: 'GET', path: `/api/v1/orders/${ids.order}` }), expect: native404 },
  'POST /v1/async/orders': { kind: 'own-scope', call: (ids) => ({ method: 'POST', path: '/v1/async/orders', body: zuoraOrderOn(ids.zuoraAccount) }) },
  'POST /v1/async/orders/preview': { kind: 'own-scope', call: (ids) => ({ method: 'POST', path: '/v1/async/orders/preview', body: zuoraOrderOn(ids.zuoraAccount) }) },
  'POST /v1/vouchers/importCSV': {
    kind: 'own-scope',
    call: (ids) => ({ method: 'POST', path: '/v1/vouchers/importCSV', form: csv(`Code,Voucher Type,Value,Discount Type\n${ids.voucherCode},DISCOUNT_VOUCHER,99,PERCENT\n`) }),
  },
  'POST /v1/campaigns/:campaignId/importCSV': {
    kind: 'own-scope',
    call: (ids) => ({ method: 'POST', path: `/v1/campaigns/${ids.campaignName}/importCSV`, form: csv('Code,Value,Discount Type\nBOLA-B-2,5,AMOUNT\n') }),
  },
  'POST /v1/customers/importCSV': { kind: 'own-scope', call: (ids) => ({ method: 'POST', path: '/v1/customers/importCSV', form: csv(`source_id,name\n${ids.customerSourceId},Mallory\n`) }) },
  'POST /v1/products/importCSV': { kind: 'own-scope', call: () => ({ method: 'POST', path: '/v1/products/importCSV', form: csv(`source_id,name,price\n${A_PRODUCT},Intruder,1\n`) }) },
  'POST /v1/skus/importCSV': { kind: 'own-scope', call: () => ({ method: 'POST', path: '/v1/skus/importCSV', form: csv(`source_id,product_id,sku,price\n${A_SKU},${A_PRODUCT},Intruder,1\n`) }) },
  'POST /v1/vouchers/import': {
    kind: 'own-scope',
    call: (ids) => ({ method: 'POST', path: '/v1/vouchers/import', body: [{ code: ids.voucherCode, type: 'DISCOUNT_VOUCHER', discount: { type: 'PERCENT', percent_off: 99 } }] }),
  },
  'POST /v1/campaigns/:campaignId/import': {
    kind: 'own-scope',
    call: (ids) => ({ method: 'POST', path: `/v1/campaigns/${ids.campaignName}/import`, body: [{ code: 'BOLA-B-1', type: 'DISCOUNT_VOUCHER', discount: { type: 'PERCENT', percent_off: 99 } }] }),
  },
  'POST /v1/orders/import': { kind: 'own-scope', call: () => ({ method: 'POST', path: '/v1/orders/import', body: [{ source_id: A_ORDER, status: 'CANCELED', amount: 1 }] }) },
  'POST /v1/vouchers/bulk/async': { kind: 'own-scope', call: (ids) => ({ method: 'POST', path: '/v1/vouchers/bulk/async', body: [{ code: ids.voucherCode, metadata: { wave: 99 } }] }) },
  'POST /v1/customers/bulk/async': { kind: 'own-scope', call: (ids) => ({ method: 'POST', path: '/v1/customers/bulk/async', body: [{ source_id: ids.customerSourceId, name: 'Mallory' }] }) },
  'POST /v1/products/bulk/async': { kind: 'own-scope', call: () => ({ method: 'POST', path: '/v1/products/bulk/async', body: [{ source_id: A_PRODUCT, price: 1 }] }) },
  'POST /v1/vouchers/metadata/async': { kind: 'own-scope', call: (ids) => ({ method: 'POST', path: '/v1/vouchers/metadata/async', body: { codes: [ids.voucherCode], metadata: { wave: 98 } } }) },
  'POST /v1/customers/metadata/async': {
    kind: 'own-scope',
    call: (ids) => ({ method: 'POST', path: '/v1/customers/metadata/async', body: { source_ids: [ids.customerSourceId], metadata: { tier: 'none' } } }),
  },
  'POST /v1/products/metadata/async': { kind: 'own-scope', call: () => ({ method: 'POST', path: '/v1/products/metadata/async', body: { source_ids: [A_PRODUCT], metadata: { owner: 'globex' } } }) },
  'POST /v1/campaigns/:campaignId/vouchers': {
    kind: 'foreign-id',
    call: (ids) => [ids.campaignName, ids.campaign].map((k) => ({ method: 'POST', path: `/v1/campaigns/${k}/vouchers`, body: {} })),
    expect: voucherify404,
  },
  'PUT /v1/campaigns/:campaignId': {
    kind: 'foreign-id',
    call: (ids) => [ids.campaignName, ids.campaign].map((k) => ({ method: 'PUT', path: `/v1/campaigns/${k}`, body: { category: 'intruder', metadata: { owner: 'globex' } } })),
    expect: voucherify404,
  },
  'DELETE /v1/campaigns/:campaignId': { kind: 'foreign-id', call: (ids) => [ids.campaignName, ids.campaign].map((k) => ({ method: 'DELETE', path: `/v1/campaigns/${k}` })), expect: voucherify404 },
  'POST /v1/metadata-schemas/:resource/definitions/:key/purge': { kind: 'own-scope', call: () => ({ method: 'POST', path: '/v1/metadata-schemas/voucher/definitions/wave/purge' }) },
  'GET /api/v1/imported/:resource': { kind: 'own-scope', call: () => ['vouchers', 'campaigns', 'customers'].map((r) => ({ method: 'GET', path: `/api/v1/imported/${r}?limit=100` })) },
};

/**
 * Broken object-level authorisation, attacked route by route: client B presents client A's ids on
 * every route of every surface and gets that surface's not-found answer, and nothing of A's
 * changes. The routes come from the application's own router, so a new route without a case here
 * fails the suite.
 */
describe('object-level authorisation on every route (gateway + tracker + order-placement + importer)', () => {
  jest.setTimeout(600_000);

  let routes: string[];
  let db: TestDatabase;
  let broker: TestBroker;
  let tracker: ServiceProcess;
  let placement: ServiceProcess;
  let importer: ServiceProcess;
  let gateway: ServiceProcess;
  const tokens: Record<string, string> = {};
  let ids: Ids;
  let aIds: string[];

  const send = (client: { id: string }, call: Call) =>
    fetch(`${gateway.url}${call.path}`, {
      method: call.method,
      headers: { authorization: `Bearer ${tokens[client.id]}`, ...(call.form ? {} : { 'content-type': 'application/json' }), ...(call.headers ?? {}) },
      body: call.form ? call.form() : call.body === undefined ? undefined : JSON.stringify(call.body),
    });
  /** Waits until the client's async action is done or failed. */
  const actionFinished = (client: { id: string }, id: string) =>
    waitFor(
      `async action ${id}`,
      async () => {
        const a = await json<{ status: string }>(await send(client, { method: 'GET', path: `/v1/async-actions/${id}` }));
        return a.status === 'DONE' || a.status === 'FAILED' ? a : undefined;
      },
      30_000,
      100,
    );
  /** A's Voucherify records as A reads them. */
  const voucherifyRecords = async () =>
    Promise.all([
      `/v1/vouchers/${ids.voucherCode}`,
      `/v1/campaigns/${ids.campaignName}`,
      `/v1/customers/${ids.customerSourceId}`,
      ...['vouchers', 'campaigns', 'customers', 'products', 'skus', 'orders'].map((r) => `/api/v1/imported/${r}?limit=100`),
    ].map(async (path) => json<Record<string, unknown>>(await send(A, { method: 'GET', path }))));
  const json = async <T>(res: Response) => (await res.json()) as T;

  beforeAll(async () => {
    routes = await gatewayRoutes();
    db = await createTestDatabase('bola');
    broker = await TestBroker.connect(uniquePrefix('bola'));
    const common = { DATABASE_URL: db.url, AMQP_PREFIX: broker.prefix, OUTBOX_POLL_MS: '100' };
    // Side by side, with time to spare: each compiles from source, which is slow on a busy machine.
    [tracker, placement, importer] = await Promise.all(['tracker', 'order-placement', 'importer'].map((app) => ServiceProcess.start(app as 'tracker', common, START_TIMEOUT_MS)));
    gateway = await ServiceProcess.start('gateway', {
      ...common,
      AUTH_CLIENTS: JSON.stringify([
        { clientId: A.id, secretHash: await hashSecret(A.secret), name: 'Acme' },
        { clientId: B.id, secretHash: await hashSecret(B.secret), name: 'Globex' },
      ]),
      AUTH_TOKEN_SECRET: 'a-test-signing-key-that-is-long-enough-123',
      RPC_TIMEOUT_MS: '30000',
      // As deployed (docker-compose.yml): SOQL read by the gateway itself, so its owner scoping is what is checked here.
      READ_DATABASE_URL: readOnlyDatabaseUrl(db.url),
    }, START_TIMEOUT_MS);
    for (const c of [A, B]) {
      const res = await fetch(`${gateway.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret }).toString(),
      });
      tokens[c.id] = (await json<{ access_token: string }>(res)).access_token;
    }

    // Client A's objects: an operation (created with an idempotency key), a webhook, and enough
    // operations for a SOQL query to hand out a query locator.
    const created = await send(A, {
      method: 'POST',
      path: '/api/v1/operations',
      body: { jobType: 'PlaceOrder', correlationIdentifier: 'bola-a' },
      headers: { 'idempotency-key': 'shared-key-1' },
    });
    expect(created.status).toBe(201);
    const operation = (await json<{ id: string }>(created)).id;
    const hook = await send(A, { method: 'POST', path: '/api/v1/webhooks', body: { url: 'http://93.184.216.34/a', events: ['finished'] } });
    expect(hook.status).toBe(201);
    const webhook = (await json<{ id: string }>(hook)).id;
    const more = Array.from({ length: 200 }, () => crypto.randomUUID());
    await broker.publishMany(
      more.map((operationId) => ({
        routingKey: OperationEvents.Submitted,
        body: { operationId, occurredAt: new Date().toISOString(), ownerId: A.id, jobType: 'PlaceOrder', producer: A.id },
      })),
    );
    const soql = `/services/data/${V}/query?q=${encodeURIComponent('SELECT Id FROM AsyncOperationTracker')}`;
    const page = await waitFor(
      "A's operations recorded",
      async () => {
        const res = await send(A, { method: 'GET', path: soql, headers: { 'sforce-query-options': 'batchSize=200' } });
        const body = await json<{ totalSize: number; nextRecordsUrl?: string; records: Array<{ Id: string }> }>(res);
        return body.totalSize === 201 ? body : undefined;
      },
      60_000,
    );
    const single = await json<{ records: Array<{ Id: string }> }>(
      await send(A, { method: 'GET', path: `/services/data/${V}/query?q=${encodeURIComponent("SELECT Id FROM AsyncOperationTracker WHERE CorrelationIdentifier = 'bola-a'")}` }),
    );
    expect(single.records).toHaveLength(1);
    const salesforceId = single.records[0].Id;

    // A's commerce objects: products, an open cart, a placed order, and a Zuora order with a subscription.
    const products = await send(A, {
      method: 'POST',
      path: '/api/v1/products',
      body: {
        products: [
          { sku: 'BOLA-MAJ', name: 'Server rack', unitPrice: '10.0000' },
          { sku: 'BOLA-PLAN', name: 'Basic plan', unitPrice: '5.0000' },
          { sku: A_ONLY_SKU, name: 'Only for Acme', unitPrice: '7.0000' },
        ],
      },
    });
    expect(products.status).toBe(201);
    const cartWithItems = async () => {
      const res = await send(A, { method: 'POST', path: '/api/v1/carts', body: { currency: 'USD', paymentMethod: 'po-4711', paymentTermDays: 45 } });
      expect(res.status).toBe(201);
      const { id } = await json<{ id: string }>(res);
      expect((await send(A, { method: 'POST', path: `/api/v1/carts/${id}/items`, body: { items: [{ sku: 'BOLA-MAJ', quantity: 2 }] } })).status).toBe(201);
      return id;
    };
    const [cart, placed] = await Promise.all([cartWithItems(), cartWithItems()]);
    const placing = await send(A, { method: 'POST', path: `/api/v1/carts/${placed}/place`, body: {} });
    expect(placing.status).toBe(202);
    const { orderId: order, operationId: placeOperation } = await json<{ orderId: string; operationId: string }>(placing);
    const zuoraJob = await send(A, {
      method: 'POST',
      path: '/v1/async/orders',
      body: {
        orderDate: '2026-11-24',
        newAccount: { name: 'Acme Corp', currency: 'USD', billToContact: { firstName: 'Ada', lastName: 'Lovelace', country: 'US', state: 'CA' } },
        subscriptions: [
          {
            orderActions: [
              {
                type: 'CreateSubscription',
                createSubscription: {
                  subscribeToRatePlans: [{ productRatePlanId: 'BOLA-PLAN' }],
                  terms: { initialTerm: { period: 12, periodType: 'Month', termType: 'TERMED' } },
                },
              },
            ],
          },
        ],
      },
    });
    expect(zuoraJob.status).toBe(202);
    const { jobId } = await json<{ jobId: string }>(zuoraJob);
    const zuora = await waitFor(
      "A's Zuora order created",
      async () => {
        const body = await json<{ status: string; result: { orderNumber: string; accountNumber: string; subscriptions: Array<{ subscriptionNumber: string }> } | null }>(
          await send(A, { method: 'GET', path: `/v1/async-jobs/${jobId}` }),
        );
        if (body.status === 'Failed') throw new Error(`A's Zuora order failed: ${JSON.stringify(body)}`);
        return body.status === 'Completed' ? body.result : undefined;
      },
      30_000,
      50,
    );
    if (!zuora) throw new Error('no Zuora result');
    const createPending = async (ref: string, quantity: number) => {
      const res = await send(A, { method: 'POST', path: `/services/data/${V}/sobjects/PendingOrderSummary`, body: pendingOrder(ref, quantity) });
      expect(res.status).toBe(201);
      return (await json<{ id: string }>(res)).id;
    };
    const convertedRef = 'bola_realm@site@a-1';
    const [pending, converted] = await Promise.all([createPending('bola_realm@site@a-0', 0), createPending(convertedRef, 1)]);
    const orderSummary = await waitFor(
      "A's pending order converted",
      async () => {
        const body = await json<{ data: Array<{ id: string }> }>(await send(A, { method: 'GET', path: `/api/v1/order-summaries?externalReferenceIdentifier=${encodeURIComponent(convertedRef)}` }));
        return body.data[0]?.id;
      },
      30_000,
      50,
    );
    await waitFor(
      "A's failing pending order tried",
      async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM order_placement.pending_order_summary WHERE external_reference_identifier = 'bola_realm@site@a-0' AND last_error_code IS NOT NULL`))[0].n === 1,
      30_000,
      50,
    );

    // A's imports: a campaign with one voucher, and a customer.
    const campaignName = 'bola-a-campaign';
    const voucherCode = 'BOLA-A-1';
    const customerSourceId = 'bola-a-customer';
    const started = await Promise.all([
      send(A, {
        method: 'POST',
        path: `/v1/campaigns/${campaignName}/import`,
        body: [{ code: voucherCode, type: 'DISCOUNT_VOUCHER', discount: { type: 'PERCENT', percent_off: 15 }, metadata: { wave: 1 } }],
      }),
      send(A, { method: 'POST', path: '/v1/customers/importCSV', form: csv(`source_id,name,email\n${customerSourceId},Alice,alice@example.com\n`) }),
    ]);
    const actions: string[] = [];
    for (const res of started) {
      expect(res.status).toBe(202);
      actions.push((await json<{ async_action_id: string }>(res)).async_action_id);
    }
    for (const id of actions) expect(await actionFinished(A, id)).toMatchObject({ status: 'DONE' });
    // Then a product, its SKU, and an order of that SKU for that customer.
    const importStep = async (call: Call) => {
      const res = await send(A, call);
      expect(res.status).toBe(202);
      const id = (await json<{ async_action_id: string }>(res)).async_action_id;
      expect(await actionFinished(A, id)).toMatchObject({ status: 'DONE', result: { failed_count: 0 } });
      actions.push(id);
    };
    await importStep({ method: 'POST', path: '/v1/products/importCSV', form: csv(`source_id,name,price\n${A_PRODUCT},Shirt,2500\n`) });
    await importStep({ method: 'POST', path: '/v1/skus/importCSV', form: csv(`source_id,product_id,sku,price\n${A_SKU},${A_PRODUCT},Shirt S,2500\n`) });
    await importStep({
      method: 'POST',
      path: '/v1/orders/import',
      body: [{ source_id: A_ORDER, status: 'PAID', amount: 5000, items: [{ sku_id: A_SKU, quantity: 2 }], customer: { source_id: customerSourceId } }],
    });
    const importedIds: string[] = [];
    for (const r of ['products', 'skus', 'orders']) {
      const { data } = await json<{ data: Array<{ id?: string }> }>(await send(A, { method: 'GET', path: `/api/v1/imported/${r}` }));
      expect(data).toHaveLength(1);
      if (data[0].id) importedIds.push(data[0].id);
    }
    const idOf = async (path: string) => {
      const res = await send(A, { method: 'GET', path });
      expect(res.status).toBe(200);
      return (await json<{ id: string }>(res)).id;
    };
    const [campaign, voucher, customer] = await Promise.all([idOf(`/v1/campaigns/${campaignName}`), idOf(`/v1/vouchers/${voucherCode}`), idOf(`/v1/customers/${customerSourceId}`)]);

    ids = {
      operation,
      webhook,
      salesforceId,
      locator: (page.nextRecordsUrl as string).split('/').pop() as string,
      cart,
      order,
      zuoraOrder: zuora.orderNumber,
      subscription: zuora.subscriptions[0].subscriptionNumber,
      zuoraAccount: zuora.accountNumber,
      pending,
      converted,
      orderSummary,
      convertedRef,
      campaignName,
      campaign,
      voucherCode,
      voucher,
      customerSourceId,
      customer,
      streamed: more[0],
    };
    aIds = [operation, webhook, salesforceId, ...more, toAsyncActionId(operation), cart, placed, order, placeOperation, jobId, zuora.orderNumber, zuora.accountNumber, zuora.subscriptions[0].subscriptionNumber, pending, converted, orderSummary, campaign, voucher, customer, ...actions, ...importedIds];
  });

  afterAll(async () => {
    try {
      await gateway?.stop();
      await Promise.all([placement?.stop(), importer?.stop(), tracker?.stop()]);
      await broker?.deleteTopology(['tracker.events', 'tracker.rpc', 'tracker.dead-letter-watch', ...ORDER_PLACEMENT_QUEUES, ...IMPORTER_QUEUES]);
    } finally {
      await broker?.close();
      await db?.drop();
    }
  });

  it('has a case for every route of the running application, and no case for a route that is gone', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !(r in CASES))).toEqual([]);
    expect(Object.keys(CASES).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it("answers client B with each surface's not-found for client A's ids, and changes nothing of A's", async () => {
    const before = await json<Record<string, unknown>>(await send(A, { method: 'GET', path: `/api/v1/operations/${ids.operation}` }));
    const hooksBefore = await json<{ data: unknown[] }>(await send(A, { method: 'GET', path: '/api/v1/webhooks' }));
    const cartBefore = await json<Record<string, unknown>>(await send(A, { method: 'GET', path: `/api/v1/carts/${ids.cart}` }));
    expect(cartBefore).toMatchObject({ id: ids.cart });
    const voucherifyBefore = await voucherifyRecords();
    const pendingPath = `/services/data/${V}/sobjects/PendingOrderSummary/${ids.pending}`;
    const pendingBefore = await json<Record<string, unknown>>(await send(A, { method: 'GET', path: pendingPath }));
    expect(pendingBefore).toMatchObject({ Id: ids.pending });
    const summaryPath = `/api/v1/order-summaries/${ids.orderSummary}`;
    const summaryBefore = await json<Record<string, unknown>>(await send(A, { method: 'GET', path: summaryPath }));
    expect(summaryBefore).toMatchObject({ id: ids.orderSummary });
    for (const [route, c] of Object.entries(CASES)) {
      if (c.kind !== 'foreign-id') continue;
      for (const call of [c.call(ids)].flat()) {
        const res = await send(B, call);
        await c.expect(res).catch((e: Error) => {
          throw new Error(`${route} ${call.path}: ${e.message}`);
        });
      }
    }
    const after = await json<Record<string, unknown>>(await send(A, { method: 'GET', path: `/api/v1/operations/${ids.operation}` }));
    expect({ ...after, lastViewedDate: null, lastReferencedDate: null }).toEqual({ ...before, lastViewedDate: null, lastReferencedDate: null });
    expect(after).toMatchObject({ status: 'Submitted', cancelRequestedAt: null });
    expect(await json<{ data: unknown[] }>(await send(A, { method: 'GET', path: '/api/v1/webhooks' }))).toEqual(hooksBefore);
    expect(await json<Record<string, unknown>>(await send(A, { method: 'GET', path: `/api/v1/carts/${ids.cart}` }))).toEqual(cartBefore);
    expect(await json<Record<string, unknown>>(await send(A, { method: 'GET', path: pendingPath }))).toEqual(pendingBefore);
    expect(await voucherifyRecords()).toEqual(voucherifyBefore);
    expect(await json<Record<string, unknown>>(await send(A, { method: 'GET', path: summaryPath }))).toEqual(summaryBefore);
    // A's locator still pages for A.
    expect((await send(A, { method: 'GET', path: `/services/data/${V}/query/${ids.locator}` })).status).toBe(200);
  });

  it("shows client B only its own objects on routes without ids, idempotency replays included; B's writes naming A's keys stay B's", async () => {
    const voucherifyBefore = await voucherifyRecords();
    expect(voucherifyBefore.slice(3).map((page) => (page.data as unknown[]).length)).toEqual([1, 1, 1, 1, 1, 1]);
    const bActions: string[] = [];
    const bJobs: string[] = [];
    const bPlaced: string[] = [];
    for (const [route, c] of Object.entries(CASES)) {
      if (c.kind !== 'own-scope') continue;
      for (const call of [c.call(ids)].flat()) {
        const res = await send(B, call);
        const text = await res.text();
        expect([route, call.path, res.status < 300, res.status < 300 ? '' : text]).toEqual([route, call.path, true, '']);
        for (const id of aIds) if (text.includes(id)) throw new Error(`${route} showed client B client A's id ${id}`);
        const action = /"async_action_id":"(aa_[0-9a-f]+)"/.exec(text)?.[1];
        if (action) bActions.push(action);
        const placed = /"requestIdentifier":"([0-9a-f-]{36})"/.exec(text)?.[1];
        if (placed) bPlaced.push(placed);
        const job = /"jobId":"([0-9a-f-]{36})"/.exec(text)?.[1];
        if (job) bJobs.push(job);
      }
    }
    expect(bActions.length).toBeGreaterThan(5);
    for (const id of bActions) await actionFinished(B, id);
    // B's Revenue Cloud order and quote of A's product fail: the product is not B's.
    expect(bPlaced).toHaveLength(2);
    for (const id of bPlaced) {
      const op = await waitFor(
        `B's placement ${id}`,
        async () => {
          const body = await json<{ status: string }>(await send(B, { method: 'GET', path: `/api/v1/operations/${id}` }));
          return ['Completed', 'CompletedWithFailures', 'Failure'].includes(body.status) ? body : undefined;
        },
        30_000,
        50,
      );
      // Pricing fails: B has no such product.
      expect(op).toMatchObject({ status: 'Failure', stepName: expect.stringMatching(/^Place(Order|Quote)PriceAsync$/) });
    }
    // B's Zuora order and preview on A's account number fail: the account is not B's.
    expect(bJobs).toHaveLength(2);
    for (const jobId of bJobs) {
      const job = await waitFor(
        `B's Zuora job ${jobId}`,
        async () => {
          const body = await json<{ status: string; errors: string | null }>(await send(B, { method: 'GET', path: `/v1/async-jobs/${jobId}` }));
          return body.status === 'Processing' ? undefined : body;
        },
        30_000,
        50,
      );
      expect(job).toMatchObject({ status: 'Failed', errors: expect.stringContaining(ids.zuoraAccount) });
    }
    // B's imports and updates with A's voucher code, campaign name and customer source id touched nothing of A's.
    expect(await voucherifyRecords()).toEqual(voucherifyBefore);
  });

  it("streams client B none of client A's events, live or replayed, unfiltered or filtered by A's operation ids", async () => {
    const open = (client: { id: string }, query: string, headers: Record<string, string> = {}) =>
      SseClient.open<StreamedChange>(`${gateway.url}/api/v1/events${query}`, { authorization: `Bearer ${tokens[client.id]}`, ...headers });
    const streams: Array<SseClient<StreamedChange>> = [];
    try {
      // A's own stream on the operation is the control: the filter and the log do deliver its change.
      const aLive = await open(A, `?operationId=${ids.streamed}`);
      const bLive = await open(B, '');
      const bLiveFiltered = await open(B, `?operationId=${ids.streamed}`);
      streams.push(aLive, bLive, bLiveFiltered);
      await broker.publish(OperationEvents.Started, { operationId: ids.streamed, occurredAt: new Date().toISOString(), stepName: 'PlaceOrderValidate' });
      await aLive.until("A's change on A's stream", (s) => s.events.some((e) => e.data.operationId === ids.streamed && e.data.status === 'InProgress'));
      // Replays from the start of the log, opened once A's change is in it (it was delivered to A).
      const bReplay = await open(B, '?lastEventId=0');
      const bReplayFiltered = await open(B, `?operationId=${ids.streamed}&lastEventId=0`);
      const bHeaderFiltered = await open(B, `?operationId=${ids.operation}`, { 'last-event-id': '0' });
      streams.push(bReplay, bReplayFiltered, bHeaderFiltered);
      // A stream of the other client's operation id is not refused: it is an empty stream, exactly as for an id that does not exist.
      expect(streams.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 200]);

      // B's own change reaches B's unfiltered streams, so they have read the log past A's change.
      const created = await send(B, { method: 'POST', path: '/api/v1/operations', body: { jobType: 'PlaceOrder', correlationIdentifier: 'bola-b-stream' } });
      expect(created.status).toBe(201);
      const own = (await json<{ id: string }>(created)).id;
      await bLive.until("B's change on B's live stream", (s) => s.events.some((e) => e.data.operationId === own));
      await bReplay.until("B's change on B's replayed stream", (s) => s.events.some((e) => e.data.operationId === own));
      // A filtered stream shows nothing to wait for: its first heartbeat comes after a read that followed A's change
      // (the replays read from 0 when opened; the live one was woken by B's change).
      for (const s of [bLiveFiltered, bReplayFiltered, bHeaderFiltered]) await s.until('a heartbeat after the first read', (x) => x.comments >= 2);

      for (const s of [bLiveFiltered, bReplayFiltered, bHeaderFiltered]) expect(s.events).toEqual([]);
      for (const s of [bLive, bReplay]) {
        const foreign = s.events.filter((e) => aIds.includes(e.data.operationId));
        expect(foreign).toEqual([]);
      }
    } finally {
      await Promise.all(streams.map((s) => s.close()));
    }
  });
});
