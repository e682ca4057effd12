import { OperationStatus, OPERATION_STATUSES, SALESFORCE_OPERATION_STATUSES } from '@asyncops/domain';
import { toSalesforceStatus, toVoucherifyView, toZuoraView, VoucherifyStatusView, ZuoraStatusView } from './dialects';

describe('toVoucherifyView', () => {
  it.each<[OperationStatus, VoucherifyStatusView]>([
    ['Submitted', { status: 'ENQUEUED', operation_status: 'UNKNOWN' }],
    ['InProgress', { status: 'IN_PROGRESS', operation_status: 'UNKNOWN' }],
    ['Completed', { status: 'DONE', operation_status: 'SUCCESS' }],
    ['CompletedWithFailures', { status: 'DONE', operation_status: 'SUCCESS' }],
    ['Failure', { status: 'FAILED', operation_status: 'FAILED' }],
    ['Cancelled', { status: 'FAILED', operation_status: 'FAILED' }],
  ])('%s → %p', (status, expected) => {
    expect(toVoucherifyView(status)).toEqual(expected);
  });

  it('returns a fresh object each time', () => {
    const view = toVoucherifyView('Completed');
    view.status = 'FAILED';
    expect(toVoucherifyView('Completed').status).toBe('DONE');
  });

  it('throws on a status that is not in the enumeration', () => {
    expect(() => toVoucherifyView('Cancelling' as OperationStatus)).toThrow(/Cancelling/);
  });
});

describe('toZuoraView', () => {
  it.each<[OperationStatus, ZuoraStatusView]>([
    ['Submitted', { status: 'Processing', success: true }],
    ['InProgress', { status: 'Processing', success: true }],
    ['Completed', { status: 'Completed', success: true }],
    ['CompletedWithFailures', { status: 'Completed', success: true }],
    ['Failure', { status: 'Failed', success: false }],
    ['Cancelled', { status: 'Failed', success: false }],
  ])('%s → %p', (status, expected) => {
    expect(toZuoraView(status)).toEqual(expected);
  });

  it('returns a fresh object each time', () => {
    const view = toZuoraView('Completed');
    view.success = false;
    expect(toZuoraView('Completed').success).toBe(true);
  });

  it('throws on a status that is not in the enumeration', () => {
    expect(() => toZuoraView('toString' as OperationStatus)).toThrow(/toString/);
  });
});

describe('toSalesforceStatus', () => {
  it.each<[OperationStatus, string]>([
    ['Submitted', 'Submitted'],
    ['InProgress', 'InProgress'],
    ['Completed', 'Completed'],
    ['CompletedWithFailures', 'CompletedWithFailures'],
    ['Failure', 'Failure'],
    ['Cancelled', 'Failure'],
  ])('%s → %s', (status, expected) => {
    expect(toSalesforceStatus(status)).toBe(expected);
  });

  it('only answers values of the Salesforce picklist', () => {
    for (const status of OPERATION_STATUSES) {
      expect(SALESFORCE_OPERATION_STATUSES as readonly string[]).toContain(toSalesforceStatus(status));
    }
  });

  it('throws on a status that is not in the enumeration', () => {
    expect(() => toSalesforceStatus('Cancelling' as OperationStatus)).toThrow(/Cancelling/);
  });
});

describe('every status has a view in each dialect', () => {
  it.each(OPERATION_STATUSES.map((s) => [s]))('%s', (status) => {
    expect(() => toVoucherifyView(status)).not.toThrow();
    expect(() => toZuoraView(status)).not.toThrow();
    expect(() => toSalesforceStatus(status)).not.toThrow();
  });
});
