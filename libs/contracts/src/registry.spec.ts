import { randomUUID } from 'node:crypto';
import { ValidationError } from 'class-validator';
import {
  describeValidationErrors,
  isKnownRoutingKey,
  MESSAGE_CONTRACTS,
  OperationEvents,
  OrderEvents,
  OrderPlacementCommands,
  OrderPlacementRpc,
  ZuoraOrderCommands,
  ZuoraOrderRpc,
  SalesTransactionCommands,
  SalesTransactionRpc,
  ImporterCommands,
  ImporterRpc,
  ImporterResourceRpc,
  ZuoraReadRpc,
  PendingOrderCommands,
  PendingOrderEvents,
  OrderPlacementSoqlRpc,
  OrderSummaryRpc,
  PendingOrderRpc,
  RoutingKey,
  TrackerEvents,
  SalesforceTrackerRpc,
  TrackerRpc,
  validateMessage,
  compiledCheckOf,
  LiveEventsRpc,
  WebhookRpc,
} from './index';

const id = () => randomUUID();
const at = '2024-05-01T10:00:00.000Z';

/** One valid body per routing key; a key added to the registry without a sample fails below. */
const samples: Record<RoutingKey, Record<string, unknown>> = {
  [OperationEvents.Submitted]: { operationId: id(), occurredAt: at, ownerId: 'client-1', jobType: 'PlaceOrder', producer: 'order-placement' },
  [OperationEvents.Started]: { operationId: id(), occurredAt: at },
  [OperationEvents.StepChanged]: { operationId: id(), occurredAt: at, stepName: 'PlaceOrderPersist' },
  [OperationEvents.ItemsProgressed]: { operationId: id(), occurredAt: at, succeeded: 10, failed: 1, failures: [{ row: 3, reason: 'duplicate code' }] },
  [OperationEvents.Finished]: { operationId: id(), occurredAt: at, status: 'CompletedWithFailures' },
  [TrackerEvents.OperationChanged]: { operationId: id(), ownerId: 'client-1', status: 'InProgress', progress: 40, version: 3, changedAt: at },
  [TrackerEvents.OperationDeleted]: { operationId: id(), ownerId: 'client-1', deletedAt: at },
  [TrackerEvents.CancelRequested]: { operationId: id(), ownerId: 'client-1', producer: 'importer', requestedAt: at },
  [TrackerRpc.CreateOperation]: { operationId: id(), ownerId: 'client-1', jobType: 'CUSTOMERS.IMPORT_CSV', producer: 'importer' },
  [TrackerRpc.RecordSubmitted]: {
    operation: { operationId: id(), occurredAt: at, ownerId: 'client-1', jobType: 'PlaceOrder', producer: 'order-placement' },
    children: [{ operationId: id(), occurredAt: at, ownerId: 'client-1', jobType: 'PlaceOrderPriceAsync', producer: 'order-placement', totalJobItems: 2 }],
  },
  [TrackerRpc.GetOperation]: { operationId: id(), ownerId: 'client-1' },
  [TrackerRpc.ListOperations]: { ownerId: 'client-1', limit: 50 },
  [TrackerRpc.CancelOperation]: { operationId: id(), ownerId: 'client-1' },
  [TrackerRpc.ListItemFailures]: { operationId: id(), ownerId: 'client-1', limit: 100 },
  [SalesforceTrackerRpc.DeleteOperation]: { ownerId: 'client-1', asyncOperationNumber: 12 },
  [SalesforceTrackerRpc.SoqlQuery]: { ownerId: 'client-1', plan: { object: 'AsyncOperationTracker' }, pageOffset: 0, pageSize: 2000, withTotal: true },
  [SalesforceTrackerRpc.UpdatedOperations]: { ownerId: 'client-1', object: 'AsyncOperationTracker', start: at, end: at },
  [SalesforceTrackerRpc.DeletedOperations]: { ownerId: 'client-1', object: 'AsyncOperationTracker', start: at, end: at },
  [SalesforceTrackerRpc.DeleteOperations]: { ownerId: 'client-1', asyncOperationNumbers: [12, 13], allOrNone: true },
  [SalesforceTrackerRpc.FindTombstones]: { ownerId: 'client-1', asyncOperationNumbers: [12] },
  [OrderPlacementRpc.UpsertProducts]: { ownerId: 'client-1', products: [{ sku: 'SKU-1', name: 'Widget', unitPrice: '12.5000' }] },
  [OrderPlacementRpc.CreateCart]: { ownerId: 'client-1', currency: 'USD' },
  [OrderPlacementRpc.AddCartItems]: { ownerId: 'client-1', cartId: id(), items: [{ sku: 'SKU-1', quantity: 2, minorItems: [{ sku: 'SKU-2', quantity: 1 }] }] },
  [OrderPlacementRpc.GetCart]: { ownerId: 'client-1', cartId: id() },
  [OrderPlacementRpc.PlaceCart]: { ownerId: 'client-1', cartId: id(), operationId: id(), allowRepricing: true },
  [OrderPlacementRpc.GetOrder]: { ownerId: 'client-1', orderId: id(), limit: 100 },
  [OrderPlacementRpc.WithdrawHeldEvents]: { ownerId: 'client-1', operationId: id(), messageIds: [id(), id()] },
  [OrderPlacementCommands.PlaceBatch]: { operationId: id(), orderId: id(), batch: 1 },
  [OrderEvents.Placed]: { orderId: id(), operationId: id(), cartId: id(), ownerId: 'client-1', currency: 'USD', total: '10.00', itemCount: 3, placedAt: at },
  [OrderEvents.Failed]: { orderId: id(), operationId: id(), cartId: id(), ownerId: 'client-1', code: 'INVALID_CART_ITEMS', error: 'item x is inactive', failedAt: at },
  [ZuoraOrderRpc.SubmitOrder]: { ownerId: 'client-1', operationId: id(), jobType: 'AsyncCreateOrder', order: { orderDate: '2026-11-24', existingAccountNumber: 'A00000001', subscriptions: [{ orderActions: [{ type: 'CreateSubscription', createSubscription: { subscribeToRatePlans: [{ productRatePlanId: 'PLAN-1' }] } }] }] } },
  [ZuoraOrderCommands.ProcessOrder]: { operationId: id(), zuoraOrderId: id() },
  [SalesTransactionRpc.Place]: {
    ownerId: 'client-1',
    kind: 'Order',
    operationId: id(),
    currency: 'USD',
    shipToCountry: 'US',
    lines: [{ sku: 'SKU-1', quantity: 2 }],
  },
  [SalesTransactionCommands.Price]: { kind: 'Order', recordId: id(), operationId: id() },
  [SalesTransactionCommands.Tax]: { kind: 'Quote', recordId: id(), operationId: id() },
  [SalesTransactionCommands.Persist]: { kind: 'Order', recordId: id(), operationId: id() },
  [ImporterRpc.AppendUploadChunk]: { ownerId: 'client-1', uploadId: id(), seq: 0, data: Buffer.from('Code\nA1\n').toString('base64') },
  [ImporterRpc.DiscardUpload]: { ownerId: 'client-1', uploadId: id() },
  [ImporterRpc.StartImport]: { ownerId: 'client-1', operationId: id(), type: 'VOUCHERS.IMPORT_CSV', uploadId: id(), chunks: 1, bytes: 8 },
  [ImporterRpc.ListImportFailures]: { ownerId: 'client-1', operationId: id(), afterRow: 0, limit: 100 },
  [ImporterRpc.ListImportedResources]: { ownerId: 'client-1', resource: 'vouchers', limit: 50 },
  [ImporterResourceRpc.GetResource]: { ownerId: 'client-1', resource: 'voucher', key: 'SPRING-1' },
  [ZuoraReadRpc.GetOrder]: { ownerId: 'client-1', orderNumber: 'O-00000001' },
  [ZuoraReadRpc.GetSubscription]: { ownerId: 'client-1', subscriptionNumber: 'A-S00000001' },
  [ImporterResourceRpc.AddCampaignVoucher]: { ownerId: 'client-1', campaignId: 'spring', codeConfig: { length: 8, charset: 'ABCDEF0123', prefix: '', postfix: '' }, category: 'single' },
  [ImporterRpc.StartMetadataPurge]: { ownerId: 'client-1', operationId: id(), resource: 'customer', key: 'tier' },
  [ImporterRpc.StartCampaignChange]: { ownerId: 'client-1', operationId: id(), campaignId: 'summer', kind: 'update', changes: { active: false } },
  [ImporterRpc.StartGeneration]: { ownerId: 'client-1', operationId: id(), campaignId: 'summer', count: 100, codeConfig: { length: 8, charset: 'ABCDEF0123', prefix: 'S-', postfix: '' } },
  [ImporterCommands.ImportBatch]: { operationId: id(), batch: 1 },
  [PendingOrderRpc.Ingest]: {
    ownerId: 'client-1',
    orders: [
      {
        externalReferenceIdentifier: 'realm_tenant@storesite@0000001',
        orderNumber: '0000001',
        orderedDate: at,
        shopperName: 'Ada Lovelace',
        billingEmailAddress: 'ada@example.com',
        currencyIsoCode: 'USD',
        grandTotalAmount: '10.00',
        payload: '{"orderItems":[]}',
        payloadType: 'JSON_RAW',
      },
    ],
  },
  [PendingOrderRpc.Get]: { ownerId: 'client-1', number: 1 },
  [PendingOrderRpc.Delete]: { ownerId: 'client-1', number: 1 },
  [PendingOrderRpc.Import]: { ownerId: 'client-1', number: 1 },
  [PendingOrderCommands.Convert]: { ownerId: 'client-1', numbers: [1, 2, 3] },
  [PendingOrderEvents.Processed]: { ownerId: 'client-1', pendingOrderSummaryNumber: 1, IsSuccess: true, OrderSummaryId: '1Os000000000001AAA', ExternalReferenceIdentifier: 'a', processedAt: at },
  [OrderPlacementSoqlRpc.Query]: { ownerId: 'client-1', plan: { object: 'PendingOrderSummary' }, pageOffset: 0, pageSize: 2000, withTotal: true },
  [OrderSummaryRpc.Get]: { ownerId: 'client-1', number: 3 },
  [OrderSummaryRpc.List]: { ownerId: 'client-1', limit: 50, before: 10, externalReferenceIdentifier: 'ext-1', pendingOrderSummaryNumber: 4 },
  [LiveEventsRpc.ListOperationEvents]: { ownerId: 'client-1', afterSeq: 41, jobType: 'PlaceOrder', limit: 100 },
  [WebhookRpc.Create]: { ownerId: 'client-1', url: 'https://hooks.example.com/asyncops', events: ['finished', 'failed'] },
  [WebhookRpc.List]: { ownerId: 'client-1' },
  [WebhookRpc.Delete]: { ownerId: 'client-1', webhookId: id() },
  [WebhookRpc.RotateSecret]: { ownerId: 'client-1', webhookId: id() },
  [WebhookRpc.ListDeliveries]: { ownerId: 'client-1', operationId: id() },
};

/** The fields each contract cannot do without. */
const required: Record<RoutingKey, string[]> = {
  [OperationEvents.Submitted]: ['operationId', 'occurredAt', 'ownerId', 'jobType', 'producer'],
  [OperationEvents.Started]: ['operationId', 'occurredAt'],
  [OperationEvents.StepChanged]: ['operationId', 'occurredAt', 'stepName'],
  [OperationEvents.ItemsProgressed]: ['operationId', 'occurredAt', 'succeeded', 'failed'],
  [OperationEvents.Finished]: ['operationId', 'occurredAt', 'status'],
  [TrackerEvents.OperationChanged]: ['operationId', 'ownerId', 'status', 'progress', 'version', 'changedAt'],
  [TrackerEvents.OperationDeleted]: ['operationId', 'ownerId', 'deletedAt'],
  [TrackerEvents.CancelRequested]: ['operationId', 'ownerId', 'producer', 'requestedAt'],
  [TrackerRpc.CreateOperation]: ['operationId', 'ownerId', 'jobType', 'producer'],
  [TrackerRpc.RecordSubmitted]: ['operation'],
  [TrackerRpc.GetOperation]: ['operationId', 'ownerId'],
  [TrackerRpc.ListOperations]: ['ownerId', 'limit'],
  [TrackerRpc.CancelOperation]: ['operationId', 'ownerId'],
  [TrackerRpc.ListItemFailures]: ['operationId', 'ownerId', 'limit'],
  [SalesforceTrackerRpc.DeleteOperation]: ['ownerId', 'asyncOperationNumber'],
  [SalesforceTrackerRpc.SoqlQuery]: ['ownerId', 'plan', 'pageOffset', 'pageSize', 'withTotal'],
  [SalesforceTrackerRpc.UpdatedOperations]: ['ownerId', 'object', 'start', 'end'],
  [SalesforceTrackerRpc.DeletedOperations]: ['ownerId', 'object', 'start', 'end'],
  [SalesforceTrackerRpc.DeleteOperations]: ['ownerId', 'asyncOperationNumbers', 'allOrNone'],
  [SalesforceTrackerRpc.FindTombstones]: ['ownerId', 'asyncOperationNumbers'],
  [OrderPlacementRpc.UpsertProducts]: ['ownerId', 'products'],
  [OrderPlacementRpc.CreateCart]: ['ownerId', 'currency'],
  [OrderPlacementRpc.AddCartItems]: ['ownerId', 'cartId', 'items'],
  [OrderPlacementRpc.GetCart]: ['ownerId', 'cartId'],
  [OrderPlacementRpc.PlaceCart]: ['ownerId', 'cartId'],
  [OrderPlacementRpc.GetOrder]: ['ownerId', 'orderId', 'limit'],
  [OrderPlacementRpc.WithdrawHeldEvents]: ['ownerId', 'operationId', 'messageIds'],
  [OrderPlacementCommands.PlaceBatch]: ['operationId', 'orderId', 'batch'],
  [OrderEvents.Placed]: ['orderId', 'operationId', 'cartId', 'ownerId', 'currency', 'total', 'itemCount', 'placedAt'],
  [OrderEvents.Failed]: ['orderId', 'operationId', 'cartId', 'ownerId', 'code', 'error', 'failedAt'],
  [ZuoraOrderRpc.SubmitOrder]: ['ownerId', 'jobType', 'order'],
  [ZuoraOrderCommands.ProcessOrder]: ['operationId', 'zuoraOrderId'],
  [SalesTransactionRpc.Place]: ['ownerId', 'kind', 'currency', 'shipToCountry', 'lines'],
  [SalesTransactionCommands.Price]: ['kind', 'recordId', 'operationId'],
  [SalesTransactionCommands.Tax]: ['kind', 'recordId', 'operationId'],
  [SalesTransactionCommands.Persist]: ['kind', 'recordId', 'operationId'],
  [ImporterRpc.AppendUploadChunk]: ['ownerId', 'uploadId', 'seq', 'data'],
  [ImporterRpc.DiscardUpload]: ['ownerId', 'uploadId'],
  [ImporterRpc.StartImport]: ['ownerId', 'type', 'uploadId', 'chunks', 'bytes'],
  [ImporterRpc.ListImportFailures]: ['ownerId', 'operationId', 'afterRow', 'limit'],
  [ImporterRpc.ListImportedResources]: ['ownerId', 'resource', 'limit'],
  [ImporterResourceRpc.GetResource]: ['ownerId', 'resource', 'key'],
  [ZuoraReadRpc.GetOrder]: ['ownerId', 'orderNumber'],
  [ZuoraReadRpc.GetSubscription]: ['ownerId', 'subscriptionNumber'],
  [ImporterResourceRpc.AddCampaignVoucher]: ['ownerId', 'campaignId', 'codeConfig'],
  [ImporterRpc.StartGeneration]: ['ownerId', 'campaignId', 'count', 'codeConfig'],
  [ImporterRpc.StartCampaignChange]: ['ownerId', 'campaignId', 'kind'],
  [ImporterRpc.StartMetadataPurge]: ['ownerId', 'resource', 'key'],
  [ImporterCommands.ImportBatch]: ['operationId', 'batch'],
  [PendingOrderRpc.Ingest]: ['ownerId', 'orders'],
  [PendingOrderRpc.Get]: ['ownerId', 'number'],
  [PendingOrderRpc.Delete]: ['ownerId', 'number'],
  [PendingOrderRpc.Import]: ['ownerId', 'number'],
  [PendingOrderCommands.Convert]: ['ownerId', 'numbers'],
  [PendingOrderEvents.Processed]: ['ownerId', 'pendingOrderSummaryNumber', 'IsSuccess', 'ExternalReferenceIdentifier', 'processedAt'],
  [OrderPlacementSoqlRpc.Query]: ['ownerId', 'plan', 'pageOffset', 'pageSize', 'withTotal'],
  [OrderSummaryRpc.Get]: ['ownerId', 'number'],
  [OrderSummaryRpc.List]: ['ownerId', 'limit'],
  [LiveEventsRpc.ListOperationEvents]: ['ownerId', 'limit'],
  [WebhookRpc.Create]: ['ownerId', 'url', 'events'],
  [WebhookRpc.List]: ['ownerId'],
  [WebhookRpc.Delete]: ['ownerId', 'webhookId'],
  [WebhookRpc.RotateSecret]: ['ownerId', 'webhookId'],
  [WebhookRpc.ListDeliveries]: ['ownerId', 'operationId'],
};

const allKeys = Object.keys(MESSAGE_CONTRACTS) as RoutingKey[];
const ERROR_LINE = /^[A-Za-z0-9_.]+: [A-Za-z0-9]+: .+$/;

function errorsOf(key: RoutingKey, body: unknown): string[] {
  const outcome = validateMessage(key, body);
  if (outcome.ok) throw new Error(`expected ${key} to reject ${JSON.stringify(body)}`);
  return outcome.errors;
}

describe('MESSAGE_CONTRACTS', () => {
  it('registers exactly the routing keys of the operation events, tracker events, tracker RPCs and order placement', () => {
    const expected = [
      ...Object.values(OperationEvents),
      ...Object.values(TrackerEvents),
      ...Object.values(TrackerRpc),
      ...Object.values(SalesforceTrackerRpc),
      ...Object.values(OrderPlacementRpc),
      ...Object.values(OrderPlacementCommands),
      ...Object.values(OrderEvents),
      ...Object.values(ZuoraOrderRpc),
      ...Object.values(ZuoraOrderCommands),
      ...Object.values(SalesTransactionRpc),
      ...Object.values(SalesTransactionCommands),
      ...Object.values(ImporterRpc),
      ...Object.values(ImporterResourceRpc),
      ...Object.values(ZuoraReadRpc),
      ...Object.values(ImporterCommands),
      ...Object.values(PendingOrderRpc),
      ...Object.values(PendingOrderCommands),
      ...Object.values(PendingOrderEvents),
      ...Object.values(OrderPlacementSoqlRpc),
      ...Object.values(OrderSummaryRpc),
      ...Object.values(LiveEventsRpc),
      ...Object.values(WebhookRpc),
    ];
    expect(new Set(expected).size).toBe(expected.length);
    expect([...allKeys].sort()).toEqual([...expected].sort());
  });

  it.each(allKeys)('%s maps to a constructible class', (key) => {
    const cls = MESSAGE_CONTRACTS[key] as unknown as new () => object;
    expect(typeof cls).toBe('function');
    expect(new cls()).toBeInstanceOf(cls);
  });

  it('has a sample and a required-field list for every key in this test', () => {
    expect(Object.keys(samples).sort()).toEqual([...allKeys].sort());
    expect(Object.keys(required).sort()).toEqual([...allKeys].sort());
  });
});

describe('validateMessage accepts a valid body', () => {
  it.each(allKeys)('%s', (key) => {
    const outcome = validateMessage(key, samples[key]);
    // A contract with a compiled check hands a body it passes on as decoded.
    expect(outcome).toEqual({ ok: true, value: compiledCheckOf(key) ? samples[key] : expect.any(MESSAGE_CONTRACTS[key]) });
    if (outcome.ok) expect({ ...outcome.value }).toMatchObject(samples[key]);
  });

  it.each(allKeys)('%s with nothing but its required fields', (key) => {
    const minimal = Object.fromEntries(required[key].map((f) => [f, samples[key][f]]));
    expect(validateMessage(key, minimal).ok).toBe(true);
  });

  it('checks every submitted payload of a recorded job, children included', () => {
    const outcome = validateMessage(TrackerRpc.RecordSubmitted, {
      operation: { operationId: id(), occurredAt: at, ownerId: 'client-1', jobType: 'PlaceOrder', producer: 'order-placement' },
      children: [{ operationId: 'not-a-uuid', occurredAt: at, ownerId: 'client-1', jobType: 'PlaceOrderTaxAsync', producer: 'order-placement' }],
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors.join('\n')).toMatch(/children\.0\.operationId/);
    expect(validateMessage(TrackerRpc.RecordSubmitted, { children: [] }).ok).toBe(false);
  });

  it('hands a valid event with nested item failures on as decoded: no instance is built for a class that holds only its fields', () => {
    const body = samples[OperationEvents.ItemsProgressed];
    const outcome = validateMessage(OperationEvents.ItemsProgressed, body);
    expect(outcome).toEqual({ ok: true, value: body });
    expect(outcome.ok && outcome.value).toBe(body);
  });

  it('converts a numeric string limit of the list requests to a number', () => {
    const outcome = validateMessage(TrackerRpc.ListOperations, { ownerId: 'c', limit: '20' });
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(outcome.value.limit).toBe(20);
  });
});

describe('validateMessage rejects', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', '{"operationId":"x"}'],
    ['a number', 42],
    ['a boolean', true],
    ['an array', [samples[OperationEvents.Started]]],
  ])('a body that is %s', (_what, body) => {
    expect(validateMessage(OperationEvents.Started, body)).toEqual({ ok: false, errors: ['body: must be a JSON object'] });
  });

  it.each(allKeys.flatMap((key) => required[key].map((field) => [key, field] as const)))('%s without its required %s', (key, field) => {
    const body = { ...samples[key] };
    delete body[field];
    const errors = errorsOf(key, body);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.startsWith(`${field}: `))).toBe(true);
  });

  it.each(allKeys)('%s with an unknown extra field', (key) => {
    const errors = errorsOf(key, { ...samples[key], sneaky: 'x' });
    expect(errors).toEqual(['sneaky: whitelistValidation: property sneaky should not exist']);
  });

  it.each([
    [OperationEvents.Started, 'operationId', 'not-a-uuid', 'isUuid'],
    [OperationEvents.Started, 'occurredAt', 'yesterday', 'isIso8601'],
    [OperationEvents.Started, 'totalJobItems', '12', 'isInt'],
    [OperationEvents.Started, 'totalJobItems', -1, 'min'],
    [OperationEvents.ItemsProgressed, 'succeeded', 1.5, 'isInt'],
    [OperationEvents.ItemsProgressed, 'failures', { reason: 'x' }, 'isArray'],
    [OperationEvents.Submitted, 'ownerId', 7, 'isString'],
    [OperationEvents.Submitted, 'ownerId', '', 'isLength'],
    [OperationEvents.StepChanged, 'stepName', 'has spaces', 'matches'],
    [OperationEvents.Finished, 'result', 'done', 'isObject'],
    [TrackerEvents.OperationChanged, 'version', 0, 'min'],
    [TrackerRpc.GetOperation, 'markViewed', 'yes', 'isBoolean'],
    [TrackerRpc.ListOperations, 'limit', 201, 'max'],
    [TrackerRpc.ListOperations, 'limit', 'many', 'isInt'],
    [TrackerRpc.ListOperations, 'status', ['Done'], 'isIn'],
    [TrackerRpc.ListItemFailures, 'limit', 0, 'min'],
    [OrderPlacementRpc.UpsertProducts, 'products', [], 'arrayMinSize'],
    [OrderPlacementRpc.CreateCart, 'currency', 'usd', 'matches'],
    [OrderPlacementRpc.WithdrawHeldEvents, 'messageIds', ['not-a-message-id'], 'isUuid'],
    [OrderPlacementRpc.WithdrawHeldEvents, 'messageIds', [], 'arrayMinSize'],
    [OrderPlacementCommands.PlaceBatch, 'batch', 0, 'min'],
    [OrderEvents.Placed, 'total', 12.5, 'matches'],
    [LiveEventsRpc.ListOperationEvents, 'limit', 501, 'max'],
    [WebhookRpc.Create, 'events', ['done'], 'isIn'],
  ] as Array<[RoutingKey, string, unknown, string]>)('%s with %s = %p (rule %s)', (key, field, value, rule) => {
    const errors = errorsOf(key, { ...samples[key], [field]: value });
    expect(errors.some((e) => e.startsWith(`${field}: ${rule}: `))).toBe(true);
    expect(errors.every((e) => e.startsWith(`${field}: `))).toBe(true);
  });

  it('reports every broken field, one line each', () => {
    const errors = errorsOf(OperationEvents.Submitted, { operationId: 'x', occurredAt: at, ownerId: 'o', jobType: 'PlaceOrder' });
    expect(errors.map((e) => e.split(':')[0]).sort()).toEqual(['operationId', 'producer', 'producer']);
  });
});

describe('error lines', () => {
  it('have the form `field: rule: message`', () => {
    const errors = errorsOf(OperationEvents.ItemsProgressed, {
      operationId: 'nope',
      occurredAt: 'later',
      succeeded: -1,
      failed: 'two',
      failures: [{ row: 0 }],
      extra: true,
    });
    expect(errors.length).toBeGreaterThanOrEqual(6);
    for (const e of errors) expect(e).toMatch(ERROR_LINE);
    expect(errors).toContain('operationId: isUuid: operationId must be a UUID');
    expect(errors).toContain('succeeded: min: succeeded must not be less than 0');
    expect(errors).toContain('failures.0.row: min: row must not be less than 1');
  });

  it('are built by describeValidationErrors with the full nested path', () => {
    const leaf = Object.assign(new ValidationError(), { property: 'reason', constraints: { isString: 'reason must be a string' }, children: [] });
    const item = Object.assign(new ValidationError(), { property: '2', children: [leaf] });
    const top = Object.assign(new ValidationError(), { property: 'failures', constraints: { arrayMaxSize: 'too many' }, children: [item] });
    expect(describeValidationErrors([top])).toEqual(['failures: arrayMaxSize: too many', 'failures.2.reason: isString: reason must be a string']);
    expect(describeValidationErrors([leaf], 'x.y')).toEqual(['x.y.reason: isString: reason must be a string']);
  });
});

describe('isKnownRoutingKey', () => {
  it.each(allKeys)('knows %s', (key) => {
    expect(isKnownRoutingKey(key)).toBe(true);
  });

  it.each(['operation.unknown', 'operation.*', 'tracker.rpc', '', 'Operation.Submitted', 'toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    'does not know %p',
    (key) => {
      expect(isKnownRoutingKey(key)).toBe(false);
    },
  );
});
