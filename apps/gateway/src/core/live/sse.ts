import type { OperationEventView } from '@asyncops/contracts';
import { ValidationFailedError } from '../errors/gateway-errors';

export const OPERATION_CHANGED_EVENT = 'operation.changed';
/** Tells EventSource clients how soon to reconnect after the stream drops. */
export const RECONNECT_MS = 2000;

/** One SSE message; the id is the change's global sequence, which is what Last-Event-ID resumes from. */
export function formatOperationEvent(e: OperationEventView): string {
  const data = {
    operationId: e.operationId,
    jobType: e.jobType,
    status: e.status,
    stepName: e.stepName,
    progress: e.progress,
    totalJobItems: e.totalJobItems,
    successfulJobItems: e.successfulJobItems,
    failedJobItems: e.failedJobItems,
    version: e.version,
    changedAt: e.changedAt,
  };
  // JSON.stringify never emits a raw newline, so one data line always carries the whole object.
  return `id: ${e.seq}\nevent: ${OPERATION_CHANGED_EVENT}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function formatHeartbeat(): string {
  return `: heartbeat ${new Date().toISOString()}\n\n`;
}

export function formatPreamble(): string {
  return `retry: ${RECONNECT_MS}\n: stream open\n\n`;
}

const SEQ = /^(0|[1-9][0-9]{0,15})$/;

/**
 * The position to resume after: the Last-Event-ID header (what EventSource sends on reconnect)
 * wins over the lastEventId query parameter (for clients that cannot set headers). Undefined
 * means "start now"; anything that is not an id this API sent is a 400 naming the field.
 */
export function parseLastEventId(header: string | string[] | undefined, query: string | undefined): number | undefined {
  const fromHeader = Array.isArray(header) ? header[0] : header;
  const [field, raw] = fromHeader !== undefined && fromHeader.trim() !== '' ? ['Last-Event-ID', fromHeader.trim()] : ['lastEventId', query?.trim()];
  if (raw === undefined || raw === '') return undefined;
  if (!SEQ.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new ValidationFailedError([{ field, rule: 'isEventId', message: `${field} must be the id of an event this stream sent (a non-negative integer)` }]);
  }
  return Number(raw);
}
