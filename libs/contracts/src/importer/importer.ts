import { Type } from 'class-transformer';
import type { SubmittedJob } from '../events/operation-lifecycle';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { JobSubmissionRequest, OptionalIsoDate, OptionalNested } from '../validation';

/** Request/reply routing keys answered by the importer (commands exchange). */
export const ImporterRpc = {
  AppendUploadChunk: 'importer.rpc.append-upload-chunk',
  DiscardUpload: 'importer.rpc.discard-upload',
  StartImport: 'importer.rpc.start-import',
  StartGeneration: 'importer.rpc.start-generation',
  StartCampaignChange: 'importer.rpc.start-campaign-change',
  StartMetadataPurge: 'importer.rpc.start-metadata-purge',
  ListImportFailures: 'importer.rpc.list-import-failures',
  ListImportedResources: 'importer.rpc.list-imported-resources',
} as const;

export const IMPORTER_RPC_PATTERN = 'importer.rpc.*';

/** Commands the importer sends itself: one message per import batch. */
export const ImporterCommands = {
  ImportBatch: 'importer.cmd.import-batch',
} as const;

export const IMPORTER_COMMANDS_PATTERN = 'importer.cmd.*';

/** The CSV import types the importer runs from a stored upload (seed 001 async action types). */
export const CSV_IMPORT_TYPES = ['VOUCHERS.IMPORT_CSV', 'CAMPAIGN.VOUCHERS_IMPORT_CSV', 'CUSTOMERS.IMPORT_CSV', 'PRODUCTS.IMPORT_CSV', 'SKUS.IMPORT_CSV'] as const;
export type CsvImportType = (typeof CSV_IMPORT_TYPES)[number];

/** The JSON import types: the gateway stores the posted array as one JSON item per line. */
export const JSON_IMPORT_TYPES = ['VOUCHERS.IMPORT', 'CAMPAIGN.VOUCHERS_IMPORT', 'ORDERS.IMPORT'] as const;

/** Bulk and metadata updates: stored and batched like JSON imports, one item per resource. */
export const BULK_UPDATE_TYPES = [
  'VOUCHERS.BULK_UPDATE',
  'CUSTOMERS.BULK_UPDATE',
  'PRODUCTS.BULK_UPDATE',
  'VOUCHERS.METADATA_UPDATE',
  'CUSTOMERS.METADATA_UPDATE',
  'PRODUCTS.METADATA_UPDATE',
] as const;
export type BulkUpdateType = (typeof BULK_UPDATE_TYPES)[number];
export const IMPORT_TYPES = [...CSV_IMPORT_TYPES, ...JSON_IMPORT_TYPES, ...BULK_UPDATE_TYPES] as const;
export type ImportType = (typeof IMPORT_TYPES)[number];

/** 256 KiB of file per message, base64 in the JSON body (4/3 of it), well under any broker frame limit. */
export const UPLOAD_CHUNK_BYTES = 256 * 1024;
const MAX_CHUNK_BASE64 = Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4;

export class AppendUploadChunkRequest {
  @IsString()
  @Length(1, 255)
  ownerId!: string;

  @IsUUID()
  uploadId!: string;

  /** 0-based; chunks are stored under their sequence number, so a retried append stores nothing twice. */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  seq!: number;

  @IsString()
  @Length(1, MAX_CHUNK_BASE64)
  @Matches(/^[A-Za-z0-9+/]+={0,2}$/)
  data!: string;
}

export interface AppendUploadChunkResult {
  uploadId: string;
  seq: number;
  storedBytes: number;
}

/** An upload that will not become an import (refused, aborted, failed to start): its chunks go now. */
export class DiscardUploadRequest {
  @IsString()
  @Length(1, 255)
  ownerId!: string;

  @IsUUID()
  uploadId!: string;
}

export interface DiscardUploadResult {
  /** False when nothing was stored, the upload is another owner's, or an import already reads it. */
  discarded: boolean;
}

/** The async action id is derived from its operationId (`aa_` + its hex). */
export class StartImportRequest extends JobSubmissionRequest {
  @IsIn(IMPORT_TYPES)
  type!: ImportType;

  @IsUUID()
  uploadId!: string;

  /** How many chunks and bytes the gateway sent: the import starts only on a complete file. */
  @IsInt()
  @Min(0)
  chunks!: number;

  @IsInt()
  @Min(0)
  bytes!: number;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  campaignId?: string;
}

export interface StartImportResult {
  operationId: string;
  type: string;
  /** The `operation.submitted` the importer wrote, for the gateway to forward to the tracker. */
  submitted: SubmittedJob;
}

export class ListImportFailuresRequest {
  @IsString()
  @Length(1, 255)
  ownerId!: string;

  @IsUUID()
  operationId!: string;

  /** Rows after this row number (0 for the first page). */
  @IsInt()
  @Min(0)
  afterRow!: number;

  @IsInt()
  @Min(1)
  @Max(5000)
  limit!: number;
}

/** The resources an owner can read back after importing them. */
export const IMPORTED_RESOURCES = ['vouchers', 'campaigns', 'customers', 'products', 'skus', 'orders'] as const;
export type ImportedResource = (typeof IMPORTED_RESOURCES)[number];

export class ListImportedResourcesRequest {
  @IsString()
  @Length(1, 255)
  ownerId!: string;

  @IsIn(IMPORTED_RESOURCES)
  resource!: ImportedResource;

  @IsInt()
  @Min(1)
  @Max(200)
  limit!: number;

  /** Opaque: the natural key of the last record of the previous page. */
  @IsOptional()
  @IsString()
  @Length(1, 400)
  cursor?: string;
}

export interface ImportedResourcesPage {
  items: Array<Record<string, unknown>>;
  nextCursor: string | null;
}

export interface ImportFailureRow {
  row: number;
  key: string | null;
  reason: string;
}

export interface ImportFailuresPage {
  type: string;
  reportsAvailableTill: string | null;
  rows: ImportFailureRow[];
  hasMore: boolean;
}

export class ImportBatchCommand {
  @IsUUID()
  operationId!: string;

  @IsInt()
  @Min(1)
  batch!: number;
}

export const MAX_GENERATED_VOUCHERS = 1_000_000;

/** Voucherify's code_config: codes are prefix + `length` characters of `charset` + postfix. */
export class CodeConfig {
  @IsInt()
  @Min(1)
  @Max(64)
  length!: number;

  @IsString()
  @Length(2, 256)
  charset!: string;

  @IsString()
  @Length(0, 50)
  prefix!: string;

  @IsString()
  @Length(0, 50)
  postfix!: string;
}

/** CAMPAIGN.VOUCHERS_GENERATE: `count` new vouchers with unique codes in a campaign. */
export class StartGenerationRequest extends JobSubmissionRequest {
  @IsString()
  @Length(1, 255)
  campaignId!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_GENERATED_VOUCHERS)
  count!: number;

  @IsObject()
  @ValidateNested()
  @Type(() => CodeConfig)
  codeConfig!: CodeConfig;
}

/** What a campaign update changes on every voucher of the campaign. */
export class CampaignVoucherChanges {
  @IsOptional()
  @IsString()
  @Length(1, 255)
  category?: string;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @OptionalIsoDate()
  start_date?: string;

  @OptionalIsoDate()
  expiration_date?: string;

  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

/** CAMPAIGN.VOUCHERS_UPDATE / CAMPAIGN.VOUCHERS_DELETE over every voucher of a campaign. */
export class StartCampaignChangeRequest extends JobSubmissionRequest {
  @IsString()
  @Length(1, 255)
  campaignId!: string;

  @IsIn(['update', 'delete'])
  kind!: 'update' | 'delete';

  @OptionalNested(() => CampaignVoucherChanges)
  changes?: CampaignVoucherChanges;
}

/** The resources whose metadata keys can be purged, and the async action type of each. */
export const METADATA_PURGE_TYPES = {
  campaign: 'CAMPAIGNS.METADATA_KEY_PURGE',
  customer: 'CUSTOMERS.METADATA_KEY_PURGE',
  product: 'PRODUCTS.METADATA_KEY_PURGE',
  voucher: 'VOUCHERS.METADATA_KEY_PURGE',
  order: 'ORDERS.METADATA_KEY_PURGE',
} as const;
export type PurgeableResource = keyof typeof METADATA_PURGE_TYPES;

/** *.METADATA_KEY_PURGE: removes one metadata key from every resource of a kind. */
export class StartMetadataPurgeRequest extends JobSubmissionRequest {
  @IsIn(Object.keys(METADATA_PURGE_TYPES))
  resource!: PurgeableResource;

  @IsString()
  @Length(1, 255)
  key!: string;
}
