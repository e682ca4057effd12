import type { OperationEventView, OperationEventsPage } from '@asyncops/contracts';
import { ValidationFailedError } from '../errors/gateway-errors';
import { WaitHandle } from '../tracker/operation-waiter';
import { EVENTS_PAGE_SIZE, followEvents } from './event-stream';
import { LiveEventHub } from './live-event-hub';
import { formatHeartbeat, formatOperationEvent, parseLastEventId } from './sse';

const OP = '6f1c2a7e-1d1b-4c47-9a8e-6f6d3f0c1a11';

function ev(seq: number, status = 'InProgress'): OperationEventView {
  return {
    seq,
    operationId: OP,
    jobType: 'PlaceOrder',
    status,
    stepName: 'PlaceOrderPersist',
    progress: 50,
    totalJobItems: 10,
    successfulJobItems: 5,
    failedJobItems: 0,
    version: seq + 1,
    changedAt: '2026-11-24T10:00:00.000Z',
  };
}

/** Parses what the stream wrote back into (id, event, data) triples, as an SSE client would. */
function parseSse(text: string): Array<{ id?: string; event?: string; data?: unknown }> {
  return text
    .split('\n\n')
    .filter((block) => block.split('\n').some((l) => l && !l.startsWith(':')))
    .map((block) => {
      const out: { id?: string; event?: string; data?: unknown } = {};
      for (const line of block.split('\n')) {
        const i = line.indexOf(': ');
        const [k, v] = [line.slice(0, i), line.slice(i + 2)];
        if (k === 'id') out.id = v;
        if (k === 'event') out.event = v;
        if (k === 'data') out.data = JSON.parse(v);
      }
      return out;
    })
    .filter((e) => e.id !== undefined);
}

describe('SSE formatting', () => {
  it('writes id, event and one JSON data line per change', () => {
    const text = formatOperationEvent(ev(42, 'Completed'));
    expect(text).toBe(
      'id: 42\nevent: operation.changed\ndata: {"operationId":"' +
        OP +
        '","jobType":"PlaceOrder","status":"Completed","stepName":"PlaceOrderPersist","progress":50,"totalJobItems":10,"successfulJobItems":5,"failedJobItems":0,"version":43,"changedAt":"2026-11-24T10:00:00.000Z"}\n\n',
    );
    expect(parseSse(text)).toEqual([{ id: '42', event: 'operation.changed', data: expect.objectContaining({ status: 'Completed', version: 43 }) }]);
  });

  it('keeps a message on one data line even when values contain newlines', () => {
    const text = formatOperationEvent({ ...ev(1), stepName: 'a\nb' });
    expect(text.split('\n').filter((l) => l.startsWith('data: '))).toHaveLength(1);
  });

  it('writes heartbeats as comments, which clients ignore', () => {
    expect(formatHeartbeat()).toMatch(/^: heartbeat .+\n\n$/);
    expect(parseSse(formatHeartbeat())).toEqual([]);
  });
});

describe('parseLastEventId', () => {
  it('prefers the header, falls back to the query, and means "now" when neither is set', () => {
    expect(parseLastEventId('17', '3')).toBe(17);
    expect(parseLastEventId(undefined, '3')).toBe(3);
    expect(parseLastEventId(['9'], undefined)).toBe(9);
    expect(parseLastEventId(undefined, undefined)).toBeUndefined();
    expect(parseLastEventId('  ', '')).toBeUndefined();
    expect(parseLastEventId('0', undefined)).toBe(0);
  });

  it.each([['-1'], ['1.5'], ['abc'], ['01'], ['99999999999999999']])('refuses %s naming the field', (raw) => {
    expect(() => parseLastEventId(raw, undefined)).toThrow(ValidationFailedError);
    try {
      parseLastEventId(undefined, raw);
    } catch (e) {
      expect((e as ValidationFailedError).errors?.[0]).toMatchObject({ field: 'lastEventId', rule: 'isEventId' });
    }
  });
});

describe('followEvents', () => {
  /** A log whose rows become visible over time, read the way the tracker answers. */
  function harness(visible: OperationEventView[]) {
    const written: string[] = [];
    const reads: number[] = [];
    const wake = new WaitHandle();
    const abort = new AbortController();
    const io = {
      read: async (after: number): Promise<OperationEventsPage> => {
        reads.push(after);
        const items = visible.filter((e) => e.seq > after).slice(0, EVENTS_PAGE_SIZE);
        return { items, head: visible.length ? visible[visible.length - 1].seq : 0 };
      },
      write: async (chunk: string) => {
        written.push(chunk);
      },
      wake,
      heartbeatMs: 20,
      signal: abort.signal,
    };
    const ids = () => parseSse(written.join('')).map((e) => Number(e.id));
    return { io, written, reads, wake, abort, ids };
  }

  it('replays everything after the resume point, then follows new changes exactly once', async () => {
    const log = [ev(1), ev(2), ev(3)];
    const h = harness(log);
    const running = followEvents(1, h.io);
    await new Promise((r) => setTimeout(r, 5));
    expect(h.ids()).toEqual([2, 3]);
    log.push(ev(4), ev(5));
    h.wake.notify('changed');
    h.wake.notify('changed');
    await new Promise((r) => setTimeout(r, 5));
    h.abort.abort();
    expect(await running).toBe(5);
    expect(h.ids()).toEqual([2, 3, 4, 5]);
  });

  it('never repeats or goes back when the log answers with already-delivered rows', async () => {
    const h = harness([ev(1), ev(2)]);
    const io = { ...h.io, read: async () => ({ items: [ev(1), ev(2), ev(2), ev(3)], head: 3 }) };
    const running = followEvents(1, io);
    await new Promise((r) => setTimeout(r, 5));
    h.abort.abort();
    await running;
    expect(h.ids()).toEqual([2, 3]);
  });

  it('picks up a change that arrived while it was reading (no lost wake-up)', async () => {
    const log = [ev(1)];
    const h = harness(log);
    const io = {
      ...h.io,
      read: async (after: number) => {
        const page = await h.io.read(after);
        if (log.length === 1) {
          log.push(ev(2));
          h.wake.notify('changed');
        }
        return page;
      },
    };
    const running = followEvents(0, io);
    await new Promise((r) => setTimeout(r, 5));
    h.abort.abort();
    await running;
    expect(h.ids()).toEqual([1, 2]);
  });

  it('sends heartbeats while idle and still re-reads the log, covering missed notifications', async () => {
    const log = [ev(1)];
    const h = harness(log);
    const running = followEvents(1, h.io);
    log.push(ev(2));
    await new Promise((r) => setTimeout(r, 70));
    h.abort.abort();
    await running;
    expect(h.written.filter((w) => w.startsWith(': heartbeat')).length).toBeGreaterThanOrEqual(1);
    expect(h.ids()).toEqual([2]);
  });

  it('reads page after page without waiting while the log is ahead', async () => {
    const log = Array.from({ length: EVENTS_PAGE_SIZE * 2 + 5 }, (_, i) => ev(i + 1));
    const h = harness(log);
    const running = followEvents(0, h.io);
    await new Promise((r) => setTimeout(r, 10));
    h.abort.abort();
    await running;
    expect(h.ids()).toEqual(log.map((e) => e.seq));
    expect(h.reads.slice(0, 3)).toEqual([0, EVENTS_PAGE_SIZE, EVENTS_PAGE_SIZE * 2]);
  });

  it('ends when the hub closes', async () => {
    const h = harness([]);
    const running = followEvents(0, h.io);
    h.wake.notify('closed');
    expect(await running).toBe(0);
  });
});

describe('LiveEventHub', () => {
  const hub = () => new LiveEventHub({} as never, { child: () => ({ warn: () => undefined }) } as never);

  it('wakes only the streams of the changed operation owner', async () => {
    const h = hub();
    const a = h.register('client-a') as WaitHandle;
    const b = h.register('client-b') as WaitHandle;
    h.onOperationChanged({ operationId: OP, ownerId: 'client-a', status: 'InProgress' });
    h.onOperationChanged('garbage');
    expect(await a.wait(5)).toBe('changed');
    expect(await b.wait(5)).toBe('timeout');
    h.unregister('client-a', a);
    h.unregister('client-b', b);
    expect(h.openStreams).toBe(0);
  });
});
