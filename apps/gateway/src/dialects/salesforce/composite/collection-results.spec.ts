import { ASYNC_OPERATION_TRACKER, decodeRecordId, encodeRecordId } from '@asyncops/contracts';
import { SalesforceApiError } from '../errors/salesforce-error';
import { collectionDeleteResults, parseIdList } from './collection-results';

const id = (n: number) => encodeRecordId(ASYNC_OPERATION_TRACKER.keyPrefix, n);
const decode = (ids: string[]) => ids.map((i) => decodeRecordId(ASYNC_OPERATION_TRACKER.keyPrefix, i));

describe('sObject Collections delete results', () => {
  it('reports each id in request order in Salesforce’s shape', () => {
    const ids = [id(1), id(2), 'garbage', id(3)];
    expect(collectionDeleteResults(ids, decode(ids), ['deleted', 'alreadyDeleted', 'notFound'], false)).toEqual([
      { id: id(1), success: true, errors: [] },
      { success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] },
      { success: false, errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id garbage', fields: [] }] },
      { success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] }] },
    ]);
  });

  it('with allOrNone, marks every deletable record rolled back', () => {
    const ids = [id(1), id(2)];
    const out = collectionDeleteResults(ids, decode(ids), ['deleted', 'alreadyDeleted'], true);
    expect(out[0]).toEqual({ id: id(1), success: false, errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })] });
    expect(out[1].errors[0].statusCode).toBe('ENTITY_IS_DELETED');
  });

  it('reads ?ids= once, comma-separated, and refuses none', () => {
    expect(parseIdList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(() => parseIdList(undefined)).toThrow(SalesforceApiError);
    expect(() => parseIdList(['a', 'b'])).toThrow(SalesforceApiError);
  });
});
