import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { CompiledCheck, compileCheck } from './compiled-check';
import { OperationEvents, OperationFinished, OperationItemsProgressed, OperationStarted, OperationStepChanged, OperationSubmitted } from './events/operation-lifecycle';
import { TrackerCancelRequested, TrackerEvents, TrackerOperationChanged, TrackerOperationDeleted } from './events/tracker-events';
import {
  CancelOperationRequest,
  CreateOperationRequest,
  GetOperationRequest,
  ItemFailureView,
  ListItemFailuresRequest,
  ListOperationsRequest,
  OperationView,
  Page,
  RecordSubmittedRequest,
  TrackerRpc,
} from './rpc/tracker-rpc';
import {
  DeletedOperationsResponse,
  DeleteOperationRequest,
  DeleteOperationResponse,
  DeleteOperationsRequest,
  DeleteOperationsResponse,
  FindTombstonesRequest,
  FindTombstonesResponse,
  ReplicationWindowRequest,
  SalesforceTrackerRpc,
  OrderPlacementSoqlRpc,
  SoqlQueryRequest,
  SoqlQueryResponse,
  UpdatedOperationsResponse,
} from './salesforce/salesforce-rpc';
import {
  AddCartItemsRequest,
  AddCartItemsResult,
  CartView,
  CreateCartRequest,
  GetCartRequest,
  GetOrderRequest,
  OrderEvents,
  OrderFailed,
  OrderPlaced,
  OrderPlacementCommands,
  OrderPlacementRpc,
  OrderView,
  PlaceBatchCommand,
  PlaceCartRequest,
  PlaceCartResult,
  WithdrawHeldEventsRequest,
  WithdrawHeldEventsResult,
  UpsertProductsRequest,
  UpsertProductsResult,
} from './order-placement/order-placement';
import { ProcessZuoraOrderCommand, SubmitZuoraOrderRequest, SubmitZuoraOrderResult, ZuoraOrderCommands, ZuoraOrderRpc } from './order-placement/zuora-orders';
import { PlaceSalesTransactionRequest, PlaceSalesTransactionResult, SalesTransactionCommands, SalesTransactionRpc, SalesTransactionStepCommand } from './order-placement/revenue-cloud';
import {
  AppendUploadChunkRequest,
  AppendUploadChunkResult,
  DiscardUploadRequest,
  DiscardUploadResult,
  ImportBatchCommand,
  ImporterCommands,
  ImporterRpc,
  ImportFailuresPage,
  ListImportFailuresRequest,
  StartCampaignChangeRequest,
  StartGenerationRequest,
  StartImportRequest,
  StartMetadataPurgeRequest,
  StartImportResult,
  ImportedResourcesPage,
  ListImportedResourcesRequest,
} from './importer/importer';
import { AddCampaignVoucherRequest, GetImportedResourceRequest, ImportedResourceRecord, ImporterResourceRpc } from './importer/importer-resources';
import { GetZuoraOrderRequest, GetZuoraSubscriptionRequest, ZuoraOrderRecord, ZuoraReadRpc, ZuoraSubscriptionRecord } from './order-placement/zuora-reads';
import {
  ConversionOutcome,
  ConvertPendingOrdersCommand,
  DeletePendingOrderResult,
  IngestPendingOrdersRequest,
  IngestPendingOrdersResult,
  PendingOrderCommands,
  PendingOrderEvents,
  PendingOrderProcessed,
  PendingOrderRef,
  PendingOrderRpc,
  PendingOrderView,
} from './pending-orders/pending-orders';
import { GetOrderSummaryRequest, ListOrderSummariesRequest, ListOrderSummariesResult, OrderSummaryRpc, OrderSummaryView } from './salesforce/order-summary.object';
import { ListOperationEventsRequest, LiveEventsRpc, OperationEventsPage } from './live/live-events';
import { CreateWebhookRequest, ListWebhookDeliveriesRequest, OwnerRequest, WebhookDeletion, WebhookDeliveryList, WebhookIdRequest, WebhookList, WebhookRpc, WebhookWithSecret } from './live/webhooks';

/** Every routing key of the system mapped to the class its payload must satisfy. */
export const MESSAGE_CONTRACTS = {
  [OperationEvents.Submitted]: OperationSubmitted,
  [OperationEvents.Started]: OperationStarted,
  [OperationEvents.StepChanged]: OperationStepChanged,
  [OperationEvents.ItemsProgressed]: OperationItemsProgressed,
  [OperationEvents.Finished]: OperationFinished,
  [TrackerEvents.OperationChanged]: TrackerOperationChanged,
  [TrackerEvents.OperationDeleted]: TrackerOperationDeleted,
  [TrackerEvents.CancelRequested]: TrackerCancelRequested,
  [TrackerRpc.CreateOperation]: CreateOperationRequest,
  [TrackerRpc.RecordSubmitted]: RecordSubmittedRequest,
  [TrackerRpc.GetOperation]: GetOperationRequest,
  [TrackerRpc.ListOperations]: ListOperationsRequest,
  [TrackerRpc.CancelOperation]: CancelOperationRequest,
  [TrackerRpc.ListItemFailures]: ListItemFailuresRequest,
  [SalesforceTrackerRpc.DeleteOperation]: DeleteOperationRequest,
  [SalesforceTrackerRpc.SoqlQuery]: SoqlQueryRequest,
  [SalesforceTrackerRpc.UpdatedOperations]: ReplicationWindowRequest,
  [SalesforceTrackerRpc.DeletedOperations]: ReplicationWindowRequest,
  [SalesforceTrackerRpc.DeleteOperations]: DeleteOperationsRequest,
  [SalesforceTrackerRpc.FindTombstones]: FindTombstonesRequest,
  [OrderPlacementRpc.UpsertProducts]: UpsertProductsRequest,
  [OrderPlacementRpc.CreateCart]: CreateCartRequest,
  [OrderPlacementRpc.AddCartItems]: AddCartItemsRequest,
  [OrderPlacementRpc.GetCart]: GetCartRequest,
  [OrderPlacementRpc.PlaceCart]: PlaceCartRequest,
  [OrderPlacementRpc.GetOrder]: GetOrderRequest,
  [OrderPlacementRpc.WithdrawHeldEvents]: WithdrawHeldEventsRequest,
  [OrderPlacementCommands.PlaceBatch]: PlaceBatchCommand,
  [OrderEvents.Placed]: OrderPlaced,
  [OrderEvents.Failed]: OrderFailed,
  [ZuoraOrderRpc.SubmitOrder]: SubmitZuoraOrderRequest,
  [ZuoraOrderCommands.ProcessOrder]: ProcessZuoraOrderCommand,
  [SalesTransactionRpc.Place]: PlaceSalesTransactionRequest,
  [SalesTransactionCommands.Price]: SalesTransactionStepCommand,
  [SalesTransactionCommands.Tax]: SalesTransactionStepCommand,
  [SalesTransactionCommands.Persist]: SalesTransactionStepCommand,
  [ImporterRpc.AppendUploadChunk]: AppendUploadChunkRequest,
  [ImporterRpc.DiscardUpload]: DiscardUploadRequest,
  [ImporterRpc.StartImport]: StartImportRequest,
  [ImporterRpc.StartGeneration]: StartGenerationRequest,
  [ImporterRpc.StartCampaignChange]: StartCampaignChangeRequest,
  [ImporterRpc.StartMetadataPurge]: StartMetadataPurgeRequest,
  [ImporterRpc.ListImportFailures]: ListImportFailuresRequest,
  [ImporterRpc.ListImportedResources]: ListImportedResourcesRequest,
  [ImporterResourceRpc.GetResource]: GetImportedResourceRequest,
  [ImporterResourceRpc.AddCampaignVoucher]: AddCampaignVoucherRequest,
  [ZuoraReadRpc.GetOrder]: GetZuoraOrderRequest,
  [ZuoraReadRpc.GetSubscription]: GetZuoraSubscriptionRequest,
  [ImporterCommands.ImportBatch]: ImportBatchCommand,
  [PendingOrderRpc.Ingest]: IngestPendingOrdersRequest,
  [PendingOrderRpc.Get]: PendingOrderRef,
  [PendingOrderRpc.Delete]: PendingOrderRef,
  [PendingOrderRpc.Import]: PendingOrderRef,
  [PendingOrderCommands.Convert]: ConvertPendingOrdersCommand,
  [PendingOrderEvents.Processed]: PendingOrderProcessed,
  [OrderSummaryRpc.Get]: GetOrderSummaryRequest,
  [OrderPlacementSoqlRpc.Query]: SoqlQueryRequest,
  [OrderSummaryRpc.List]: ListOrderSummariesRequest,
  [LiveEventsRpc.ListOperationEvents]: ListOperationEventsRequest,
  [WebhookRpc.Create]: CreateWebhookRequest,
  [WebhookRpc.List]: OwnerRequest,
  [WebhookRpc.Delete]: WebhookIdRequest,
  [WebhookRpc.RotateSecret]: WebhookIdRequest,
  [WebhookRpc.ListDeliveries]: ListWebhookDeliveriesRequest,
} as const;

export type RoutingKey = keyof typeof MESSAGE_CONTRACTS;
export type PayloadOf<K extends RoutingKey> = InstanceType<(typeof MESSAGE_CONTRACTS)[K]>;

/** What each request/reply routing key answers with. */
export interface RpcResponses {
  [TrackerRpc.CreateOperation]: OperationView;
  [TrackerRpc.RecordSubmitted]: OperationView;
  [TrackerRpc.GetOperation]: OperationView;
  [TrackerRpc.ListOperations]: Page<OperationView>;
  [TrackerRpc.CancelOperation]: OperationView;
  [TrackerRpc.ListItemFailures]: Page<ItemFailureView>;
  [SalesforceTrackerRpc.DeleteOperation]: DeleteOperationResponse;
  [SalesforceTrackerRpc.SoqlQuery]: SoqlQueryResponse;
  [SalesforceTrackerRpc.UpdatedOperations]: UpdatedOperationsResponse;
  [SalesforceTrackerRpc.DeletedOperations]: DeletedOperationsResponse;
  [SalesforceTrackerRpc.DeleteOperations]: DeleteOperationsResponse;
  [SalesforceTrackerRpc.FindTombstones]: FindTombstonesResponse;
  [OrderPlacementRpc.UpsertProducts]: UpsertProductsResult;
  [OrderPlacementRpc.CreateCart]: CartView;
  [OrderPlacementRpc.AddCartItems]: AddCartItemsResult;
  [OrderPlacementRpc.GetCart]: CartView;
  [OrderPlacementRpc.PlaceCart]: PlaceCartResult;
  [OrderPlacementRpc.GetOrder]: OrderView;
  [OrderPlacementRpc.WithdrawHeldEvents]: WithdrawHeldEventsResult;
  [ZuoraOrderRpc.SubmitOrder]: SubmitZuoraOrderResult;
  [SalesTransactionRpc.Place]: PlaceSalesTransactionResult;
  [ImporterRpc.AppendUploadChunk]: AppendUploadChunkResult;
  [ImporterRpc.DiscardUpload]: DiscardUploadResult;
  [ImporterRpc.StartImport]: StartImportResult;
  [ImporterRpc.StartGeneration]: StartImportResult;
  [ImporterRpc.StartCampaignChange]: StartImportResult;
  [ImporterRpc.StartMetadataPurge]: StartImportResult;
  [ImporterRpc.ListImportFailures]: ImportFailuresPage;
  [ImporterRpc.ListImportedResources]: ImportedResourcesPage;
  [ImporterResourceRpc.GetResource]: ImportedResourceRecord;
  [ImporterResourceRpc.AddCampaignVoucher]: ImportedResourceRecord;
  [ZuoraReadRpc.GetOrder]: ZuoraOrderRecord;
  [ZuoraReadRpc.GetSubscription]: ZuoraSubscriptionRecord;
  [PendingOrderRpc.Ingest]: IngestPendingOrdersResult;
  [PendingOrderRpc.Get]: PendingOrderView;
  [PendingOrderRpc.Delete]: DeletePendingOrderResult;
  [PendingOrderRpc.Import]: ConversionOutcome;
  [OrderSummaryRpc.Get]: OrderSummaryView;
  [OrderPlacementSoqlRpc.Query]: SoqlQueryResponse;
  [OrderSummaryRpc.List]: ListOrderSummariesResult;
  [LiveEventsRpc.ListOperationEvents]: OperationEventsPage;
  [WebhookRpc.Create]: WebhookWithSecret;
  [WebhookRpc.List]: WebhookList;
  [WebhookRpc.Delete]: WebhookDeletion;
  [WebhookRpc.RotateSecret]: WebhookWithSecret;
  [WebhookRpc.ListDeliveries]: WebhookDeliveryList;
}
export type RpcRoutingKey = keyof RpcResponses;

export type ValidationOutcome<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export function isKnownRoutingKey(key: string): key is RoutingKey {
  return Object.prototype.hasOwnProperty.call(MESSAGE_CONTRACTS, key);
}

/**
 * Every contract's body is checked first by a predicate compiled from its class's rules
 * (`compileCheck`, on first use): an instance and class-validator's bookkeeping cost more than
 * most messages' work (a lifecycle event, a submit with its 16 events). A body the predicate passes
 * is handed on as decoded, which is only offered for classes whose instances hold nothing more
 * than the body (see compileCheck); any other body, and every contract it cannot mirror, goes
 * through the class path below, whose verdict and errors stand.
 */
const compiledChecks = new Map<RoutingKey, CompiledCheck | undefined>();

/** The compiled check of a routing key's contract, if its class allows one (compiled on first use). */
export function compiledCheckOf(key: RoutingKey): CompiledCheck | undefined {
  if (!compiledChecks.has(key)) compiledChecks.set(key, compileCheck(MESSAGE_CONTRACTS[key]));
  return compiledChecks.get(key);
}

/** Validates a decoded body against its routing key's contract; messages name field and rule. */
export function validateMessage<K extends RoutingKey>(key: K, body: unknown): ValidationOutcome<PayloadOf<K>> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, errors: ['body: must be a JSON object'] };
  }
  if (compiledCheckOf(key)?.(body)) return { ok: true, value: body as PayloadOf<K> };
  const cls = MESSAGE_CONTRACTS[key] as new () => PayloadOf<K>;
  const value = plainToInstance(cls, body);
  const errors = validateSync(value as object, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) return { ok: false, errors: describeValidationErrors(errors) };
  return { ok: true, value };
}

/** `field.path: rule message` lines, for logs, dead-letter reasons and 4xx bodies. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, msg]) => `${path}: ${rule}: ${msg}`);
    return own.concat(describeValidationErrors(e.children ?? [], path));
  });
}
