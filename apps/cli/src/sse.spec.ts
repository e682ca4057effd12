import { SseParser } from './sse';

describe('SseParser', () => {
  it('assembles events split across chunks, skips comments, joins multi-line data', () => {
    const p = new SseParser();
    expect(p.feed(': heartbeat\n\nretry: 2000\n\nid: 4')).toEqual([]);
    expect(p.feed('2\nevent: operation.changed\ndata: {"a":')).toEqual([]);
    expect(p.feed('1}\n\nid: 43\ndata: line one\r\ndata: line two\r\n\r\n')).toEqual([
      { id: '42', event: 'operation.changed', data: '{"a":1}' },
      { id: '43', event: 'message', data: 'line one\nline two' },
    ]);
  });

  it('ignores an event without data', () => {
    expect(new SseParser().feed('id: 1\nevent: x\n\n')).toEqual([]);
  });
});
