import type { ImportType } from '@asyncops/contracts';
import { customerBulkSpec, metadataMergeSpec, productBulkSpec } from '../resources/bulk/bulk-update';
import { customerSpec } from '../resources/customers/customer-spec';
import { parseOrderJson, writeOrders } from '../resources/orders/order-json';
import { productSpec } from '../resources/products/product-spec';
import { skuSpec } from '../resources/skus/sku-spec';
import { parseVoucherJson } from '../resources/vouchers/voucher-json';
import { voucherSpec } from '../resources/vouchers/voucher-spec';
import { voucherCopy } from '../resources/vouchers/voucher-copy';
import type { CopySpec } from './copy/copy-spec';
import type { ResourceSpec } from './rows/resource-spec';

const voucherJsonSpec = { ...voucherSpec, parseJson: parseVoucherJson };

/** Orders arrive as JSON only, so their CSV members are never used. */
const orderSpec = {
  noun: 'order',
  requiredColumns: [],
  knownColumns: [],
  failedKeyField: 'source_id' as const,
  parse: () => ({ ok: false as const, key: null, reason: 'orders are imported from JSON only' }),
  parseJson: parseOrderJson,
  write: writeOrders,
};

export interface ImportKind {
  format: 'csv' | 'json';
  spec: ResourceSpec<unknown>;
  /** Which of seed 001's result layouts the type has. */
  result: 'import' | 'bulk' | 'metadata';
  /** CSV types that stream their batches through COPY into a staging table. */
  copy?: CopySpec<unknown>;
}

const any = <T>(spec: ResourceSpec<T>) => spec as unknown as ResourceSpec<unknown>;

export const IMPORT_KINDS: Record<ImportType, ImportKind> = {
  'VOUCHERS.IMPORT_CSV': { format: 'csv', spec: any(voucherSpec), result: 'import', copy: voucherCopy as CopySpec<unknown> },
  'CAMPAIGN.VOUCHERS_IMPORT_CSV': { format: 'csv', spec: any(voucherSpec), result: 'import', copy: voucherCopy as CopySpec<unknown> },
  'CUSTOMERS.IMPORT_CSV': { format: 'csv', spec: any(customerSpec), result: 'import' },
  'PRODUCTS.IMPORT_CSV': { format: 'csv', spec: any(productSpec), result: 'import' },
  'SKUS.IMPORT_CSV': { format: 'csv', spec: any(skuSpec), result: 'import' },
  'VOUCHERS.IMPORT': { format: 'json', spec: any(voucherJsonSpec), result: 'import' },
  'CAMPAIGN.VOUCHERS_IMPORT': { format: 'json', spec: any(voucherJsonSpec), result: 'import' },
  'ORDERS.IMPORT': { format: 'json', spec: any(orderSpec), result: 'import' },
  'VOUCHERS.BULK_UPDATE': { format: 'json', spec: any(metadataMergeSpec('voucher', 'voucher', 'code')), result: 'bulk' },
  'CUSTOMERS.BULK_UPDATE': { format: 'json', spec: any(customerBulkSpec), result: 'bulk' },
  'PRODUCTS.BULK_UPDATE': { format: 'json', spec: any(productBulkSpec), result: 'bulk' },
  'VOUCHERS.METADATA_UPDATE': { format: 'json', spec: any(metadataMergeSpec('voucher', 'voucher', 'code')), result: 'metadata' },
  'CUSTOMERS.METADATA_UPDATE': { format: 'json', spec: any(metadataMergeSpec('customer', 'customer', 'source_id')), result: 'metadata' },
  'PRODUCTS.METADATA_UPDATE': { format: 'json', spec: any(metadataMergeSpec('product', 'product', 'source_id')), result: 'metadata' },
};
