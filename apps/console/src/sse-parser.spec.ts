import { reconnectDelayMs, SseParser } from './sse-parser';

describe('SSE parser', () => {
  it('parses events split across chunks at any point', () => {
    const wire = 'retry: 2000\n: stream open\n\nid: 41\nevent: operation.changed\ndata: {"a":1}\n\nid: 42\nevent: operation.changed\ndata: {"a":2}\n\n';
    for (let cut = 0; cut <= wire.length; cut++) {
      const p = new SseParser();
      const messages = [...p.feed(wire.slice(0, cut)), ...p.feed(wire.slice(cut))];
      expect(messages).toEqual([
        { id: '41', event: 'operation.changed', data: '{"a":1}' },
        { id: '42', event: 'operation.changed', data: '{"a":2}' },
      ]);
      expect(p.lastEventId).toBe('42');
      expect(p.retryMs).toBe(2000);
    }
  });

  it('accepts CRLF and CR line ends, joins multi-line data and skips comments', () => {
    const p = new SseParser();
    expect(p.feed('data: one\r\ndata: two\r\n\r\n: heartbeat\r\rdata:three\r')).toEqual([{ id: undefined, event: 'message', data: 'one\ntwo' }]);
    expect(p.feed('\n')).toEqual([]);
    expect(p.feed('\n')).toEqual([{ id: undefined, event: 'message', data: 'three' }]);
  });

  it('backs off from the server hint up to 30 s', () => {
    expect(reconnectDelayMs(1)).toBe(2000);
    expect(reconnectDelayMs(3)).toBe(8000);
    expect(reconnectDelayMs(20)).toBe(30_000);
    expect(reconnectDelayMs(1, 500)).toBe(500);
  });
});
