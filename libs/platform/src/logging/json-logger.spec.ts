import { runWithCorrelationId } from './correlation';
import { flushStdoutLines, isoTimeField, JsonLogger, LogLevel } from './json-logger';

function capture(level: LogLevel = 'info') {
  const lines: string[] = [];
  const logger = new JsonLogger('tracker', level, (line) => lines.push(line));
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, parsed };
}

describe('JsonLogger', () => {
  it('adds the correlation id of the request or message being handled, across awaits', async () => {
    const { logger, parsed } = capture();
    logger.log('outside');
    await runWithCorrelationId('req-7', async () => {
      await new Promise((r) => setTimeout(r, 1));
      logger.child('Handler').info({ msg: 'inside' });
    });
    expect(parsed()[0].correlationId).toBeUndefined();
    expect(parsed()[1]).toMatchObject({ msg: 'inside', context: 'Handler', correlationId: 'req-7' });
  });

  it('writes one JSON object per line with time, level, service, context and msg', () => {
    const { logger, lines, parsed } = capture();
    const before = Date.now();
    logger.log('operation applied', 'Lifecycle');
    expect(lines).toHaveLength(1);
    const [line] = parsed();
    expect(line).toEqual({ time: expect.any(String), level: 'info', service: 'tracker', context: 'Lifecycle', msg: 'operation applied' });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
    expect(Date.parse(line.time as string)).toBeGreaterThanOrEqual(before - 1);
    expect(Object.keys(line).slice(0, 3)).toEqual(['level', 'time', 'service']);
  });

  it('writes to stdout by default, one line per call, even for multi-line messages, the lines of one event-loop turn in one write', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const logger = new JsonLogger('gateway');
      logger.warn('first line\nsecond line', 'Http');
      logger.log('another', 'Http');
      expect(write).not.toHaveBeenCalled();
      await new Promise((resolve) => setImmediate(resolve));
      expect(write).toHaveBeenCalledTimes(1);
      const out = String(write.mock.calls[0][0]);
      expect(out.endsWith('\n')).toBe(true);
      const lines = out.split('\n');
      expect(lines).toHaveLength(3);
      expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', service: 'gateway', context: 'Http', msg: 'first line\nsecond line' });
      expect(JSON.parse(lines[1])).toMatchObject({ level: 'info', service: 'gateway', context: 'Http', msg: 'another' });
    } finally {
      write.mockRestore();
    }
  });

  it('writes gathered stdout lines at once past 64 KB, and what is left when the process exits', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const logger = new JsonLogger('gateway');
      const long = 'x'.repeat(1000);
      for (let i = 0; i < 70; i++) logger.log(long, 'Http');
      expect(write).toHaveBeenCalledTimes(1);
      expect(String(write.mock.calls[0][0]).length).toBeGreaterThanOrEqual(64 * 1024);
      logger.log('last', 'Http');
      // What the process does on exit.
      expect(process.listeners('exit')).toContain(flushStdoutLines);
      flushStdoutLines();
      expect(write).toHaveBeenCalledTimes(2);
      const rest = String(write.mock.calls[1][0]).trimEnd().split('\n');
      expect(JSON.parse(rest[rest.length - 1])).toMatchObject({ msg: 'last' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(write).toHaveBeenCalledTimes(2);
    } finally {
      write.mockRestore();
    }
  });

  it('writes every line at once after writeStdoutLinesDirectly (a process shutting down on a signal)', () => {
    jest.isolateModules(() => {
      const fresh = require('./json-logger') as typeof import('./json-logger');
      const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        const logger = new fresh.JsonLogger('gateway');
        logger.log('gathered', 'Http');
        expect(write).not.toHaveBeenCalled();
        fresh.writeStdoutLinesDirectly();
        expect(write).toHaveBeenCalledTimes(1);
        logger.log('shutting down', 'Http');
        expect(write).toHaveBeenCalledTimes(2);
        expect(JSON.parse(String(write.mock.calls[1][0]))).toMatchObject({ msg: 'shutting down' });
      } finally {
        write.mockRestore();
      }
    });
  });

  it('formats the time once per millisecond', () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2030-01-02T03:04:05.678Z'));
    try {
      const toIso = jest.spyOn(Date.prototype, 'toISOString');
      expect(isoTimeField()).toBe(',"time":"2030-01-02T03:04:05.678Z"');
      expect(isoTimeField()).toBe(',"time":"2030-01-02T03:04:05.678Z"');
      expect(toIso).toHaveBeenCalledTimes(1);
      now.mockReturnValue(Date.parse('2030-01-02T03:04:05.679Z'));
      expect(isoTimeField()).toBe(',"time":"2030-01-02T03:04:05.679Z"');
      toIso.mockRestore();
    } finally {
      now.mockRestore();
    }
  });

  it('omits context when none is given and stringifies non-object messages', () => {
    const { logger, parsed } = capture();
    logger.log(42);
    logger.log(undefined);
    const [a, b] = parsed();
    expect(a).toEqual({ time: expect.any(String), level: 'info', service: 'tracker', msg: '42' });
    expect('context' in a).toBe(false);
    expect(b.msg).toBe('undefined');
  });

  it('merges the fields of an object message into the line', () => {
    const { logger, parsed } = capture();
    logger.log({ msg: 'batch committed', operationId: 'op-1', count: 500, nested: { a: 1 } }, 'Worker');
    expect(parsed()[0]).toEqual({
      time: expect.any(String),
      level: 'info',
      service: 'tracker',
      context: 'Worker',
      msg: 'batch committed',
      operationId: 'op-1',
      count: 500,
      nested: { a: 1 },
    });
  });

  it('logs an Error with its message and err.stack', () => {
    const { logger, parsed } = capture();
    const error = new TypeError('cannot read the batch');
    logger.error(error, 'Worker');
    const [line] = parsed();
    expect(line).toMatchObject({ level: 'error', context: 'Worker', msg: 'cannot read the batch' });
    expect(line.err).toEqual({ name: 'TypeError', message: 'cannot read the batch', stack: error.stack });
    expect((line.err as { stack: string }).stack).toContain('json-logger.spec');
  });

  it("keeps the stack Nest passes as error(message, stack, context)", () => {
    const { logger, parsed } = capture();
    const stack = 'Error: boom\n    at Foo.bar (foo.ts:1:1)';
    logger.error('request failed', stack, 'ExceptionsHandler');
    expect(parsed()[0]).toMatchObject({ level: 'error', context: 'ExceptionsHandler', msg: 'request failed', stack });
  });

  it.each([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
  ] as Array<[LogLevel, string[]]>)('at threshold %s writes only %j', (threshold, expected) => {
    const { logger, parsed } = capture(threshold);
    logger.debug('d');
    logger.log('i');
    logger.warn('w');
    logger.error('e');
    expect(parsed().map((l) => l.level)).toEqual(expected);
  });

  it('maps verbose to debug and fatal to error', () => {
    const { logger, parsed } = capture('debug');
    logger.verbose('v', 'Ctx');
    logger.fatal('f', 'Ctx');
    expect(parsed().map((l) => [l.level, l.msg])).toEqual([
      ['debug', 'v'],
      ['error', 'f'],
    ]);
    const quiet = capture('info');
    quiet.logger.verbose('dropped');
    expect(quiet.lines).toEqual([]);
  });

  it('defaults to the info threshold', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('tracker', undefined, (l) => lines.push(l));
    logger.debug('hidden');
    logger.log('shown');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['shown']);
  });

  it('serialises bigints and writes circular structures with the cycle marked', () => {
    const { logger, parsed } = capture();
    logger.log({ msg: 'big', n: 10n ** 20n });
    const circular: Record<string, unknown> = { msg: 'loop' };
    circular.self = circular;
    logger.warn(circular);
    const [big, broken] = parsed();
    expect(big.n).toBe('100000000000000000000');
    expect(broken).toMatchObject({ level: 'warn', service: 'tracker', msg: 'loop' });
    expect(JSON.stringify(broken)).toContain('[Circular]');
  });

  it('redacts credentials, client secrets, tokens and webhook secrets wherever they appear', () => {
    const { logger, lines, parsed } = capture();
    logger.log({
      msg: 'request',
      headers: { authorization: 'Bearer abc.def.ghi', 'x-app-token': 'app-token-1', accept: 'json' },
      client_secret: 'dev-secret',
      body: { client_secret: 'form-secret', password: 'pw', clientId: 'dev-client' },
      token: 'tok-1',
      reply: { access_token: 'eyJ-token', token_type: 'Bearer' },
      webhook: { secret: 'whsec_1', url: 'https://example.test/hook' },
      req: { headers: { authorization: 'Basic Zm9vOmJhcg==' } },
    });
    const [line] = parsed() as Array<Record<string, Record<string, Record<string, unknown>>>>;
    for (const secret of ['abc.def.ghi', 'app-token-1', 'dev-secret', 'form-secret', 'pw"', 'tok-1', 'eyJ-token', 'whsec_1', 'Zm9vOmJhcg']) {
      expect(lines[0]).not.toContain(secret);
    }
    expect(line.headers).toEqual({ authorization: '[Redacted]', 'x-app-token': '[Redacted]', accept: 'json' });
    expect(line.body).toEqual({ client_secret: '[Redacted]', password: '[Redacted]', clientId: 'dev-client' });
    expect(line.reply).toEqual({ access_token: '[Redacted]', token_type: 'Bearer' });
    expect(line.webhook.url).toBe('https://example.test/hook');
  });

  it('redacts case-insensitively, inside arrays, without touching the caller\'s objects', () => {
    const { logger, lines, parsed } = capture();
    const headers = { Authorization: 'Bearer zzz', 'X-App-Token': 'ttt' };
    const hooks = [{ url: 'https://a.test', signingSecret: 'sss' }];
    logger.warn({ msg: 'x', headers, hooks, count: 2n });
    expect(parsed()[0]).toMatchObject({ headers: { Authorization: '[Redacted]', 'X-App-Token': '[Redacted]' }, hooks: [{ url: 'https://a.test', signingSecret: '[Redacted]' }], count: '2' });
    expect(lines[0]).not.toMatch(/zzz|ttt|sss/);
    expect(headers.Authorization).toBe('Bearer zzz');
    expect(hooks[0].signingSecret).toBe('sss');
  });

  it('keeps an Error passed as a field readable', () => {
    const { logger, parsed } = capture();
    logger.warn({ msg: 'retrying', err: new RangeError('too far') });
    expect(parsed()[0].err).toMatchObject({ name: 'RangeError', message: 'too far', stack: expect.stringContaining('RangeError') });
  });

  describe('child(context)', () => {
    it('adds the context to every line and keeps the level of each method', () => {
      const { logger, parsed } = capture('debug');
      const child = logger.child('OutboxRelay');
      child.debug('polling');
      child.info({ msg: 'relayed', count: 3 });
      child.warn('slow');
      child.error('failed');
      expect(parsed().map((l) => [l.level, l.context, l.msg])).toEqual([
        ['debug', 'OutboxRelay', 'polling'],
        ['info', 'OutboxRelay', 'relayed'],
        ['warn', 'OutboxRelay', 'slow'],
        ['error', 'OutboxRelay', 'failed'],
      ]);
      expect(parsed()[1].count).toBe(3);
    });

    it("respects the parent's threshold", () => {
      const { logger, parsed } = capture('warn');
      const child = logger.child('Worker');
      child.debug('d');
      child.info('i');
      child.warn('w');
      expect(parsed().map((l) => l.msg)).toEqual(['w']);
    });
  });
});
