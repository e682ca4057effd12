import { oneOf, withLabels } from '../internal/picklist';

/**
 * `AsyncOperationTracker.JobType`, a restricted picklist (seed 000), in the order the seed lists it.
 * Restricted means Salesforce rejects any other value, so we do too.
 */
export const JOB_TYPES = [
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

export type JobType = (typeof JOB_TYPES)[number];

/**
 * The labels the seed spells out (every other value is labelled with its API name). StepName repeats
 * every JobType, and the seed labels those steps the same way.
 */
export const JOB_LABEL_TEXTS: Readonly<Partial<Record<JobType, string>>> = {
  AutomatedNegativeInvoiceLineConversion: 'Automated Negative Invoice Line Conversion',
  AutomaticRefunds: 'Automatic Refunds',
  PearAmendQtyAssets: 'Initiate Amend Quantity',
  PearCancelAssets: 'Initiate Cancellation',
  PearRenewAssets: 'Initiate Renewal',
  PlaceQuote: 'Place Quote',
  PriceRuleDeployment: 'Price Rule Deployment',
  TransactionLineBom: 'Create Material Lines',
};

/** Display labels for `describe` responses. */
export const JOB_TYPE_LABELS: Readonly<Record<JobType, string>> = withLabels(JOB_TYPES, JOB_LABEL_TEXTS);

export const isJobType: (x: unknown) => x is JobType = oneOf(JOB_TYPES);
