import { OperationStatus, OPERATION_STATUSES } from '@asyncops/domain';
import { toVoucherifyView, toZuoraView, VoucherifyStatusView, ZuoraStatusView } from './dialects';

describe('toVoucherifyView', () => {
  it.each<[OperationStatus, VoucherifyStatusView]>([
    ['Submitted', { status: 'ENQUEUED', operation_status: 'UNKNOWN' }],
    ['InProgress', { status: 'IN_PROGRESS', operation_status: 'UNKNOWN' }],
    ['Completed', { status: 'DONE', operation_status: 'SUCCESS' }],
    ['CompletedWithFailures', { status: 'DONE', operation_status: 'SUCCESS' }],
    ['Failure', { status: 'FAILED', operation_status: 'FAILED' }],
  ])('%s → %p', (status, expected) => {
    expect(toVoucherifyView(status)).toEqual(expected);
  });

  it('returns a fresh object each time', () => {
    const view = toVoucherifyView('Completed');
    view.status = 'FAILED';
    expect(toVoucherifyView('Completed').status).toBe('DONE');
  });

  it('throws on a status that is not in the enumeration', () => {
    expect(() => toVoucherifyView('Cancelled' as OperationStatus)).toThrow(/Cancelled/);
  });
});

describe('toZuoraView', () => {
  it.each<[OperationStatus, ZuoraStatusView]>([
    ['Submitted', { status: 'Processing', success: true }],
    ['InProgress', { status: 'Processing', success: true }],
    ['Completed', { status: 'Completed', success: true }],
    ['CompletedWithFailures', { status: 'Completed', success: true }],
    ['Failure', { status: 'Failed', success: false }],
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

describe('every status has a view in each dialect', () => {
  it.each(OPERATION_STATUSES.map((s) => [s]))('%s', (status) => {
    expect(() => toVoucherifyView(status)).not.toThrow();
    expect(() => toZuoraView(status)).not.toThrow();
  });
});
