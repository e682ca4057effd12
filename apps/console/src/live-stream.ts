import type { Api } from './api';
import { reconnectDelayMs, SseParser } from './sse-parser';
import type { OperationChange } from './types';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface LiveStreamOptions {
  /** Extra query (operationId, jobType). */
  query?: Record<string, string>;
  /** Resume after this event id; '0' replays every retained change. */
  lastEventId?: string;
  onChanges(changes: Array<OperationChange & { seq: string | undefined }>): void;
  onState?(state: LiveState): void;
}

/**
 * GET /api/v1/events read with fetch, since EventSource cannot send the Bearer header. Reconnects
 * with backoff and resumes from the last event id, so no change is missed or applied twice.
 * Returns a function that closes the stream.
 */
export function openLiveStream(api: Api, options: LiveStreamOptions): () => void {
  const abort = new AbortController();
  let lastEventId = options.lastEventId;
  let failures = 0;
  let retryHint = 2000;
  const setState = (s: LiveState) => options.onState?.(s);

  const once = async (): Promise<void> => {
    const q = new URLSearchParams(options.query ?? {});
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const res = await api.request(`/api/v1/events${q.toString() ? `?${q.toString()}` : ''}`, { headers, signal: abort.signal });
    if (!res.body) throw new Error('the event stream has no body');
    setState('live');
    failures = 0;
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const messages = parser.feed(decoder.decode(value, { stream: true }));
      if (parser.retryMs !== undefined) retryHint = parser.retryMs;
      const changes: Array<OperationChange & { seq: string | undefined }> = [];
      for (const m of messages) {
        if (m.event !== 'operation.changed') continue;
        try {
          changes.push({ ...(JSON.parse(m.data) as OperationChange), seq: m.id });
        } catch {
          // a malformed message is skipped; the next one still applies
        }
      }
      if (parser.lastEventId !== undefined) lastEventId = parser.lastEventId;
      if (changes.length) options.onChanges(changes);
    }
  };

  void (async () => {
    setState('connecting');
    while (!abort.signal.aborted) {
      try {
        await once();
      } catch (e) {
        if (abort.signal.aborted || (e as { status?: number }).status === 401) break;
      }
      if (abort.signal.aborted) break;
      failures++;
      setState('reconnecting');
      await new Promise((r) => setTimeout(r, reconnectDelayMs(failures, retryHint)));
    }
    setState('closed');
  })();

  return () => abort.abort();
}
