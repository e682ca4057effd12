import { Connection } from 'jsforce';
import { revenueCloudPlaceBody, ServiceProcess, Stack, startStack, TestDatabase } from '@asyncops/testing';

const CLIENT = { id: 'dev-client', secret: 'dev-secret' };
const VERSION = '60.0';

interface PlaceResponse {
  orderId?: string;
  quoteId?: string;
  requestIdentifier: string;
  statusURL: string;
  responseError: unknown[];
  success: boolean;
}

interface OperationJson {
  id: string;
  jobType: string;
  status: string;
  stepName: string | null;
  parentOperationId: string | null;
  childCount: number;
  errors: Array<{ key?: string; message: string }> | null;
  result: Record<string, unknown> | null;
}

interface SfRecord {
  Id: string;
  JobType: string;
  Status: string;
  StepName: string | null;
}

/**
 * Revenue Cloud's place actions end to end: the parent PlaceOrder / PlaceQuote operation with its
 * price and tax children, rolled up by the tracker, and the statusURL read back with jsforce.
 */
describe('Revenue Cloud place actions (gateway + order-placement + tracker, real broker and database)', () => {
  jest.setTimeout(90_000);

  let stack: Stack;
  let db: TestDatabase;
  let gateway: ServiceProcess;
  let token: string;
  let conn: Connection;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const post = (path: string, body: unknown) => api(path, { method: 'POST', body: JSON.stringify(body) });

  const finished = (id: string) => stack.finished<OperationJson>(id, { timeoutMs: 30_000 });

  async function children(parentId: string): Promise<OperationJson[]> {
    const res = await api(`/api/v1/operations?parentOperationId=${parentId}&limit=10`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: OperationJson[] }).data.sort((a, b) => a.jobType.localeCompare(b.jobType));
  }

  async function place(path: string, body: unknown): Promise<PlaceResponse> {
    const res = await post(path, body);
    expect(res.status).toBe(201);
    return (await res.json()) as PlaceResponse;
  }

  beforeAll(async () => {
    stack = await startStack('revcloud', { apps: ['tracker', 'order-placement', 'gateway'], env: { AMQP_DELIVERY_LIMIT: '3', OUTBOX_POLL_MS: '50' } });
    ({ db, gateway } = stack);
    const res = await fetch(`${gateway.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: CLIENT.secret }).toString(),
    });
    const issued = (await res.json()) as { access_token: string; instance_url: string };
    token = issued.access_token;
    conn = new Connection({ instanceUrl: issued.instance_url ?? gateway.url, accessToken: token, version: VERSION });
    const products = await post('/api/v1/products', {
      products: [
        { sku: 'RC-WIDGET', name: 'Widget', unitPrice: '19.9900' },
        { sku: 'RC-GADGET', name: 'Gadget', unitPrice: '0.3333' },
        { sku: 'RC-OLD', name: 'Old', unitPrice: '5.0000', active: false },
      ],
    });
    expect(products.status).toBe(201);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('places a sales order: price and tax children roll up the PlaceOrder parent to Completed, with exact decimal totals', async () => {
    const placed = await place(
      `/services/data/v${VERSION}/commerce/sales-orders/actions/place`,
      revenueCloudPlaceBody('Order', { CurrencyIsoCode: 'USD', ShippingCountryCode: 'US', ShippingStateCode: 'CA', Name: 'ignored' }, [
        { sku: 'RC-WIDGET', quantity: 3, discount: 10 },
        { sku: 'RC-GADGET', quantity: 7, discountAmount: 0.0031 },
      ]),
    );
    expect(placed).toEqual({
      orderId: expect.stringMatching(/^801[0-9A-Za-z]{15}$/),
      requestIdentifier: expect.stringMatching(/^[0-9a-f-]{36}$/),
      statusURL: expect.stringMatching(new RegExp(`^/services/data/v${VERSION.replace('.', '\\.')}/sobjects/AsyncOperationTracker/0Ao[0-9A-Za-z]{15}$`)),
      responseError: [],
      success: true,
    });

    const parent = await finished(placed.requestIdentifier);
    expect(parent).toMatchObject({ jobType: 'PlaceOrder', status: 'Completed', stepName: 'PlaceOrderPersistSync', childCount: 2 });
    const [price, tax] = await children(placed.requestIdentifier);
    expect(price).toMatchObject({ jobType: 'PlaceOrderPriceAsync', status: 'Completed', parentOperationId: placed.requestIdentifier });
    expect(tax).toMatchObject({ jobType: 'PlaceOrderTaxAsync', status: 'Completed', parentOperationId: placed.requestIdentifier });

    // 3 × 19.99 = 59.97 − 10 % = 53.973; 7 × 0.3333 = 2.3331 − 0.0031 = 2.33; CA 7.25 % per line, to the
    // cent: 3.9130425 → 3.91 and 0.168925 → 0.17; total 56.303 + 4.08.
    const [order] = await db.query<Record<string, string>>('SELECT id, status, subtotal, discount, tax_rate, tax, total FROM order_placement.sales_order WHERE operation_id = $1', [placed.requestIdentifier]);
    expect(order).toEqual({ id: expect.any(String), status: 'Placed', subtotal: '62.3031', discount: '6.0001', tax_rate: '0.072500', tax: '4.0800', total: '60.3830' });
    expect(tax.result).toMatchObject({ recordId: order.id, total: '60.3830', tax: '4.0800', currency: 'USD' });

    // jsforce reads the statusURL as Salesforce's AsyncOperationTracker record.
    const viaUrl = (await conn.request(placed.statusURL)) as unknown as SfRecord;
    expect(viaUrl).toMatchObject({ JobType: 'PlaceOrder', Status: 'Completed', StepName: 'PlaceOrderPersistSync' });
    const id = placed.statusURL.split('/').pop() ?? '';
    const viaSobject = (await conn.sobject('AsyncOperationTracker').retrieve(id)) as unknown as SfRecord;
    expect(viaSobject).toMatchObject({ Id: id, JobType: 'PlaceOrder', Status: 'Completed' });
  });

  it('places a quote with PlaceQuote, PlaceQuotePriceAsync and PlaceQuoteTaxAsync, taxed by the country-wide rate', async () => {
    const placed = await place(
      `/services/data/v${VERSION}/commerce/quotes/actions/place`,
      revenueCloudPlaceBody('Quote', { CurrencyIsoCode: 'EUR', ShippingCountryCode: 'DE' }, [{ sku: 'RC-WIDGET', quantity: 1 }]),
    );
    expect(placed.quoteId).toMatch(/^0Q0[0-9A-Za-z]{15}$/);
    const parent = await finished(placed.requestIdentifier);
    expect(parent).toMatchObject({ jobType: 'PlaceQuote', status: 'Completed', stepName: 'PlaceQuotePersistSync' });
    expect((await children(placed.requestIdentifier)).map((c) => [c.jobType, c.status])).toEqual([
      ['PlaceQuotePriceAsync', 'Completed'],
      ['PlaceQuoteTaxAsync', 'Completed'],
    ]);
    const [quote] = await db.query<{ status: string; tax: string; total: string }>('SELECT status, tax, total FROM order_placement.quote WHERE operation_id = $1', [placed.requestIdentifier]);
    // 19.99 × 19 % = 3.7981 → 3.80
    expect(quote).toEqual({ status: 'Placed', tax: '3.8000', total: '23.7900' });
    const lines = await db.query<{ line_number: number; net_amount: string; tax_amount: string }>('SELECT l.line_number, l.net_amount, l.tax_amount FROM order_placement.quote_line l JOIN order_placement.quote q ON q.id = l.header_id WHERE q.operation_id = $1', [placed.requestIdentifier]);
    expect(lines).toEqual([{ line_number: 1, net_amount: '19.9900', tax_amount: '3.8000' }]);
  });

  it('fails the price child on an inactive product, ends the tax child unrun, and the parent rolls up to Failure', async () => {
    const placed = await place(
      `/services/data/v${VERSION}/commerce/sales-orders/actions/place`,
      revenueCloudPlaceBody('Order', { CurrencyIsoCode: 'USD', ShippingCountryCode: 'US' }, [{ sku: 'RC-WIDGET', quantity: 1 }, { sku: 'RC-OLD', quantity: 1 }]),
    );
    const parent = await finished(placed.requestIdentifier);
    expect(parent.status).toBe('Failure');
    const [price, tax] = await children(placed.requestIdentifier);
    expect(price).toMatchObject({ status: 'Failure', errors: [{ key: 'INACTIVE_PRODUCT', message: expect.stringContaining('line 2: product RC-OLD is not active') }] });
    expect(tax).toMatchObject({ status: 'Failure', errors: [{ key: 'NOT_RUN' }] });
    const [order] = await db.query<{ status: string; error_code: string }>('SELECT status, error_code FROM order_placement.sales_order WHERE operation_id = $1', [placed.requestIdentifier]);
    expect(order).toEqual({ status: 'Failed', error_code: 'INACTIVE_PRODUCT' });
  });

  it('fails the tax child when the ship-to has no rate; the record fails and the parent rolls up the mix', async () => {
    const placed = await place(
      `/services/data/v${VERSION}/commerce/sales-orders/actions/place`,
      revenueCloudPlaceBody('Order', { CurrencyIsoCode: 'BRL', ShippingCountryCode: 'BR', ShippingStateCode: 'SP' }, [{ sku: 'RC-WIDGET', quantity: 1 }]),
    );
    const parent = await finished(placed.requestIdentifier);
    // The tracker's roll-up: one child completed, one failed.
    expect(parent).toMatchObject({ status: 'CompletedWithFailures', stepName: 'PlaceOrderTaxAsync' });
    const [price, tax] = await children(placed.requestIdentifier);
    expect(price.status).toBe('Completed');
    expect(tax).toMatchObject({ status: 'Failure', errors: [{ key: 'TAX_RATE_NOT_FOUND', message: 'no tax rate for ship-to BR-SP' }] });
    const [order] = await db.query<{ status: string; error_code: string }>('SELECT status, error_code FROM order_placement.sales_order WHERE operation_id = $1', [placed.requestIdentifier]);
    expect(order).toEqual({ status: 'Failed', error_code: 'TAX_RATE_NOT_FOUND' });
  });

  it('answers a malformed graph with a Salesforce error naming the field', async () => {
    const missing = await post(`/services/data/v${VERSION}/commerce/sales-orders/actions/place`, revenueCloudPlaceBody('Order', { CurrencyIsoCode: 'USD' }, [{ sku: 'RC-WIDGET', quantity: 1 }]));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual([{ errorCode: 'REQUIRED_FIELD_MISSING', message: expect.stringContaining('ShippingCountryCode'), fields: ['ShippingCountryCode'] }]);

    const unknownField = await post(
      `/services/data/v${VERSION}/commerce/quotes/actions/place`,
      revenueCloudPlaceBody('Quote', { CurrencyIsoCode: 'USD', ShippingCountryCode: 'US', Bogus__c: 1 }, [{ sku: 'RC-WIDGET', quantity: 1 }]),
    );
    expect(unknownField.status).toBe(400);
    expect(((await unknownField.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('INVALID_FIELD');

    const badQuantity = await post(`/services/data/v${VERSION}/commerce/sales-orders/actions/place`, revenueCloudPlaceBody('Order', { CurrencyIsoCode: 'USD', ShippingCountryCode: 'US' }, [{ sku: 'RC-WIDGET', quantity: 0 }]));
    expect(badQuantity.status).toBe(400);
    expect(((await badQuantity.json()) as Array<{ fields: string[] }>)[0].fields).toEqual(['Quantity']);
  });
});
