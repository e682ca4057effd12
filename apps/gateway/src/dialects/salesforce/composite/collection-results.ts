import type { DecodedRecordId, DeleteOutcome } from '@asyncops/contracts';
import { SalesforceApiError } from '../errors/salesforce-error';

/** One entry of an sObject Collections save/delete result; errors carry `statusCode`, as Salesforce's do there. */
export interface CollectionSaveResult {
  id?: string;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
}

/** `?ids=a,b,c`: given once, comma-separated, at least one. */
export function parseIdList(raw: unknown): string[] {
  if (raw === undefined || raw === '') throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'ids: give at least one record id', ['ids']);
  if (typeof raw !== 'string') throw new SalesforceApiError(400, 'INVALID_FIELD', 'ids: give the ids once, comma-separated', ['ids']);
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const failure = (statusCode: string, message: string, id?: string): CollectionSaveResult => ({ ...(id ? { id } : {}), success: false, errors: [{ statusCode, message, fields: [] }] });

/**
 * Per id, in request order. A record that fails on its own shows no id, like Salesforce's; with
 * allOrNone every other record shows ALL_OR_NONE_OPERATION_ROLLED_BACK with its id.
 * `outcomes` are the tracker's answers for the ids that decoded, in their order.
 */
export function collectionDeleteResults(ids: readonly string[], decoded: readonly DecodedRecordId[], outcomes: readonly DeleteOutcome[], rolledBack: boolean): CollectionSaveResult[] {
  let k = 0;
  return ids.map((id, i) => {
    const d = decoded[i];
    if (!d.ok) return failure('MALFORMED_ID', `malformed id ${id}`);
    const outcome = outcomes[k++];
    if (outcome === 'alreadyDeleted') return failure('ENTITY_IS_DELETED', 'entity is deleted');
    if (outcome === 'notFound') return failure('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (rolledBack) return failure('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back because not all records were valid and the request was using AllOrNone header', d.id18);
    return { id: d.id18, success: true, errors: [] };
  });
}
