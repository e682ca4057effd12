import { oneOf } from '../internal/picklist';

/**
 * Object types `AsyncOperationTracker.ReferenceEntityId` may point to ("Refers To", seed 000). The
 * field is polymorphic, so the tracker stores the type beside the id to resolve the reference.
 */
export const REFERENCE_ENTITY_TYPES = [
  'CreditMemo',
  'InvoiceBatchRun',
  'Order',
  'Product2',
  'Quote',
] as const;

export type ReferenceEntityType = (typeof REFERENCE_ENTITY_TYPES)[number];

export const isReferenceEntityType: (x: unknown) => x is ReferenceEntityType = oneOf(REFERENCE_ENTITY_TYPES);

/** Object types `AsyncOperationTracker.OwnerId` may point to ("Refers To", seed 000). */
export const OWNER_TYPES = ['Group', 'User'] as const;

export type OwnerType = (typeof OWNER_TYPES)[number];

export const isOwnerType: (x: unknown) => x is OwnerType = oneOf(OWNER_TYPES);
