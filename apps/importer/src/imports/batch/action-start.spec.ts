import { actionSubmitted } from './action-start';

describe('the submitted event of an action', () => {
  const base = { operation_id: 'op-1', owner_id: 'o-1', request_id: null, created_at: new Date('2030-01-01T00:00:00Z') };

  it('counts the codes a generation asks for and the vouchers a campaign change walks', () => {
    expect(actionSubmitted({ ...base, type: 'CAMPAIGN.VOUCHERS_GENERATE', columns: { count: 50, codeConfig: {} } }).totalJobItems).toBe(50);
    expect(actionSubmitted({ ...base, type: 'CAMPAIGN.VOUCHERS_DELETE', columns: { total: 7, changes: {}, lastId: null } }).totalJobItems).toBe(7);
  });

  it('leaves the count out for imports and purges, which learn it while they run', () => {
    expect(actionSubmitted({ ...base, type: 'VOUCHERS.IMPORT_CSV', columns: null })).not.toHaveProperty('totalJobItems');
    expect(actionSubmitted({ ...base, type: 'CUSTOMERS.METADATA_KEY_PURGE', columns: { resource: 'customer', key: 'k', total: 3 } })).not.toHaveProperty('totalJobItems');
  });

  it('names the importer as producer and carries the request id only when there is one', () => {
    const e = actionSubmitted({ ...base, type: 'VOUCHERS.IMPORT', columns: null, request_id: 'r-9' });
    expect(e).toEqual({ operationId: 'op-1', occurredAt: '2030-01-01T00:00:00.000Z', ownerId: 'o-1', jobType: 'VOUCHERS.IMPORT', producer: 'importer', requestId: 'r-9' });
    expect(actionSubmitted({ ...base, type: 'VOUCHERS.IMPORT', columns: null })).not.toHaveProperty('requestId');
  });
});
