import type { Operation } from './types';

/** The operations list's filters, as the page's query string holds them. */
export interface OperationFilters {
  status: string[];
  jobType: string[];
  /** Local date-time values of the form inputs (yyyy-mm-ddThh:mm), or ''. */
  from: string;
  to: string;
  correlationIdentifier: string;
}

export const EMPTY_FILTERS: OperationFilters = { status: [], jobType: [], from: '', to: '', correlationIdentifier: '' };

export const KNOWN_STATUSES = ['Submitted', 'InProgress', 'Completed', 'CompletedWithFailures', 'Failure'];

const list = (v: string | null): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function filtersFromSearch(search: string): OperationFilters {
  const q = new URLSearchParams(search);
  return {
    status: list(q.get('status')),
    jobType: list(q.get('jobType')),
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
    correlationIdentifier: q.get('correlationIdentifier') ?? '',
  };
}

export function filtersToSearch(f: OperationFilters): string {
  const q = new URLSearchParams();
  if (f.status.length) q.set('status', f.status.join(','));
  if (f.jobType.length) q.set('jobType', f.jobType.join(','));
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (f.correlationIdentifier.trim()) q.set('correlationIdentifier', f.correlationIdentifier.trim());
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A local date-time input value as an ISO instant, or undefined when empty or invalid. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** The list route's query for these filters (without limit and cursor). */
export function filtersToApiQuery(f: OperationFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.status.length) q.set('status', f.status.join(','));
  if (f.jobType.length) q.set('jobType', f.jobType.join(','));
  const from = localToIso(f.from);
  const to = localToIso(f.to);
  if (from) q.set('submittedFrom', from);
  if (to) q.set('submittedTo', to);
  if (f.correlationIdentifier.trim()) q.set('correlationIdentifier', f.correlationIdentifier.trim());
  return q;
}

/** Whether a (new) operation belongs in a list with these filters, checked the way the API does. */
export function matchesFilters(op: Pick<Operation, 'status' | 'jobType' | 'submittedAt' | 'correlationIdentifier'>, f: OperationFilters): boolean {
  if (f.status.length && !f.status.includes(op.status)) return false;
  if (f.jobType.length && !f.jobType.includes(op.jobType)) return false;
  const submitted = Date.parse(op.submittedAt);
  const from = localToIso(f.from);
  const to = localToIso(f.to);
  if (from && submitted < Date.parse(from)) return false;
  if (to && submitted > Date.parse(to)) return false;
  if (f.correlationIdentifier.trim() && op.correlationIdentifier !== f.correlationIdentifier.trim()) return false;
  return true;
}
