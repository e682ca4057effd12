import { oneOf, withLabels } from '../internal/picklist';

/**
 * `AsyncOperationTracker.StepName`, a restricted picklist (seed 000), in the order the seed lists it.
 * It is every JobType plus the `PST*` steps that a multi-stage job passes through, which is why it is
 * a separate list rather than derived from JOB_TYPES.
 */
export const STEP_NAMES = [
  'AssetizationAsyncJob',
  'AutomatedNegativeInvoiceLineConversion',
  'AutomaticRefunds',
  'CommerceVariationsUpsert',
  'ContextPersistence',
  'CreateCPQContractsJob',
  'DeltaCatalogSyndicationAsyncJob',
  'FullCatalogSyndicationAsyncJob',
  'InvoiceDocgenJob',
  'InvoiceDocgenPostProcessJob',
  'InvoiceDocgenRetryJob',
  'InvoiceDraftToPosted',
  'PSTCommonSyncStep',
  'PSTConfigAndPersist',
  'PSTOrderTaxAsync',
  'PSTPriceAndPersist',
  'PSTQuoteTaxAsync',
  'PearAmendQtyAssets',
  'PearCancelAssets',
  'PearRenewAssets',
  'PlaceOrder',
  'PlaceOrderPersistSync',
  'PlaceOrderPriceAsync',
  'PlaceOrderTaxAsync',
  'PlaceQuote',
  'PlaceQuotePersistAndPriceSync',
  'PlaceQuotePersistSync',
  'PlaceQuotePriceAsync',
  'PlaceQuoteTaxAsync',
  'PriceRuleDeployment',
  'PriceSheetDeployJob',
  'QuoteToOrderJob',
  'RuleLibraryDeployment',
  'TransactionLineBom',
] as const;

export type StepName = (typeof STEP_NAMES)[number];

/** Display labels for `describe` responses; the seed gives a label only for the values listed here. */
export const STEP_NAME_LABELS: Readonly<Record<StepName, string>> = withLabels(STEP_NAMES, {
  AutomatedNegativeInvoiceLineConversion: 'Automated Negative Invoice Line Conversion',
  AutomaticRefunds: 'Automatic Refunds',
  PearAmendQtyAssets: 'Initiate Amend Quantity',
  PearCancelAssets: 'Initiate Cancellation',
  PearRenewAssets: 'Initiate Renewal',
  PlaceQuote: 'Place Quote',
  PriceRuleDeployment: 'Price Rule Deployment',
  TransactionLineBom: 'Create Material Lines',
});

export const isStepName: (x: unknown) => x is StepName = oneOf(STEP_NAMES);
