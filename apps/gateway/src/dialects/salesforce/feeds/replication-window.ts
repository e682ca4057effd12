import { isISO8601 } from 'class-validator';
import { SalesforceApiError } from '../errors/salesforce-error';

/** How far back each feed may start, in days (Salesforce: 30 for updated, 15 for deleted). */
export const FEED_MAX_DAYS = { updated: 30, deleted: 15 } as const;
export type FeedKind = keyof typeof FEED_MAX_DAYS;

export interface ReplicationWindow {
  start: Date;
  end: Date;
  /** What the client should pass as the next start. */
  latestDateCovered: Date;
}

const MINUTE = 60_000;
const floorMinute = (d: Date) => new Date(Math.floor(d.getTime() / MINUTE) * MINUTE);

const invalid = (message: string) => new SalesforceApiError(400, 'INVALID_REPLICATION_DATE', message);

function parse(name: 'start' | 'end', value: unknown): Date {
  if (value === undefined || value === '') throw new SalesforceApiError(400, 'MISSING_ARGUMENT', `${name}: the ${name} parameter is required`);
  if (typeof value !== 'string' || !isISO8601(value, { strict: true }) || !value.includes('T')) {
    throw invalid(`${name}: must be an ISO 8601 dateTime such as 2024-01-31T12:34:56+00:00`);
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw invalid(`${name}: must be an ISO 8601 dateTime such as 2024-01-31T12:34:56+00:00`);
  return d;
}

/**
 * Salesforce's getUpdated/getDeleted window rules: seconds are ignored (both ends truncate to the
 * minute), start must precede end by at least a minute and be at most 30 (updated) or 15
 * (deleted) days back. An end in the future is served up to now, and latestDateCovered says so.
 */
export function replicationWindow(kind: FeedKind, startRaw: unknown, endRaw: unknown, now: Date): ReplicationWindow {
  const start = floorMinute(parse('start', startRaw));
  const requestedEnd = floorMinute(parse('end', endRaw));
  if (requestedEnd.getTime() - start.getTime() < MINUTE) {
    throw invalid('startDate must chronologically precede endDate by more than one minute');
  }
  const oldest = floorMinute(new Date(now.getTime() - FEED_MAX_DAYS[kind] * 86_400_000));
  if (start.getTime() < oldest.getTime()) throw invalid(`startDate cannot be more than ${FEED_MAX_DAYS[kind]} days ago`);
  if (start.getTime() > now.getTime()) throw invalid('startDate cannot be in the future');
  const end = requestedEnd.getTime() > now.getTime() ? now : requestedEnd;
  return { start, end, latestDateCovered: end };
}
