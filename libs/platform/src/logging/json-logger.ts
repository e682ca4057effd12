import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { currentCorrelationId } from './correlation';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Field names whose values are never written as they are: credentials in headers, client
 * secrets, tokens, webhook secrets and passwords, at any depth up to four objects down (names
 * compared case-insensitively). Their values are replaced with `[Redacted]`.
 */
export const REDACTED_FIELDS: ReadonlySet<string> = new Set(
  [
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'password',
    'secret',
    'client_secret',
    'clientSecret',
    'access_token',
    'accessToken',
    'refresh_token',
    'refreshToken',
    'token',
    'secretHash',
    'signingSecret',
    'webhookSecret',
    'x-app-token',
    'AUTH_TOKEN_SECRET',
    'AUTH_CLIENTS',
  ].map((f) => f.toLowerCase()),
);
const CENSOR = '[Redacted]';
const MAX_DEPTH = 4;

/**
 * A copy of `value` with secret fields censored; objects without secrets are returned as they
 * are (no copy), so the common case costs one pass over the keys. The caller's objects are never
 * modified. (pino's own wildcard redaction was an order of magnitude slower.)
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object' || value instanceof Date || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length && i < 100; i++) {
      const r = redactSecrets(value[i], depth + 1);
      if (r !== value[i]) (copy ??= [...value])[i] = r;
    }
    return (copy ?? value) as T;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    const r = REDACTED_FIELDS.has(key.toLowerCase()) && v !== undefined && v !== null ? CENSOR : redactSecrets(v, depth + 1);
    if (r !== v) (copy ??= { ...(value as Record<string, unknown>) })[key] = r;
  }
  return (copy ?? value) as T;
}

let timeMs = -1;
let timeField = '';

/** pino's `isoTime` field, formatted once per millisecond: a busy process writes many lines in one. */
export function isoTimeField(): string {
  const now = Date.now();
  if (now !== timeMs) {
    timeMs = now;
    timeField = `,"time":"${new Date(now).toISOString()}"`;
  }
  return timeField;
}

/** Gathered lines are written at once above this many characters. */
const STDOUT_BATCH_CHARS = 64 * 1024;

/**
 * The process's stdout for log lines: lines written during one event-loop turn go out in one
 * write at the end of it (or at once past STDOUT_BATCH_CHARS), instead of one blocking write per
 * line (stdout to a pipe or file is synchronous); order is kept, and what is gathered is written
 * before the process exits. Every line is still one complete JSON object.
 */
class StdoutLines {
  private pending = '';
  private scheduled = false;
  private exitHooked = false;
  private direct = false;

  readonly write = (chunk: string): void => {
    if (this.direct) {
      process.stdout.write(chunk);
      return;
    }
    this.pending += chunk;
    if (this.pending.length >= STDOUT_BATCH_CHARS) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
      if (!this.exitHooked) {
        this.exitHooked = true;
        process.on('exit', this.flush);
      }
    }
  };

  readonly flush = (): void => {
    this.scheduled = false;
    if (!this.pending) return;
    const out = this.pending;
    this.pending = '';
    process.stdout.write(out);
  };

  /**
   * From now on every line is written at once: a process shutting down on a signal may end by that
   * signal (Nest's shutdown hooks re-raise it), which runs no `exit` listener and no later turn.
   */
  readonly writeDirectly = (): void => {
    this.flush();
    this.direct = true;
  };
}

const stdoutLines = new StdoutLines();

/** Writes the gathered stdout lines now (also done when the process exits). */
export const flushStdoutLines: () => void = stdoutLines.flush;

/** Writes the gathered stdout lines now and every later line at once (a process shutting down). */
export const writeStdoutLinesDirectly: () => void = stdoutLines.writeDirectly;

/**
 * One JSON object per line, written by pino, so log shippers parse every field without regexes:
 * `level` (debug, info, warn, error), `time` (ISO 8601), `service`, `context`, `correlationId`
 * (of the request or message being handled), `msg`, and the caller's fields; secrets redacted.
 * Nest calls log(message, context) / error(message, stack, context); structured callers pass
 * an object as the message and its fields are merged into the line.
 */
export class JsonLogger implements LoggerService {
  private readonly pino: Logger;

  constructor(
    service: string,
    level: LogLevel = 'info',
    write?: (line: string) => void,
  ) {
    const destination = write ? { write: (chunk: string) => write(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) } : stdoutLines;
    this.pino = pino(
      {
        level,
        base: { service },
        messageKey: 'msg',
        timestamp: isoTimeField,
        formatters: {
          level: (label) => ({ level: label }),
          log: (fields) => bigintsAsStrings(redactSecrets(fields)),
        },
        // Lines written while handling a request or message carry its id, whoever writes them.
        mixin: () => {
          const correlationId = currentCorrelationId();
          return correlationId ? { correlationId } : {};
        },
        // `err` is written as given ({name, message, stack}); an Error instance becomes that shape.
        serializers: { err: (e: unknown) => (e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : e) },
      },
      destination,
    );
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }

  /** A logger bound to a context, for classes that are not created by Nest. */
  child(context: string): ContextLogger {
    return new ContextLogger(this, context);
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const args = [...rest];
    const context = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const line: Record<string, unknown> = {};
    if (context) line.context = context;
    if (message instanceof Error) {
      line.msg = message.message;
      line.err = { name: message.name, message: message.message, stack: message.stack };
    } else if (message && typeof message === 'object') {
      Object.assign(line, message);
    } else {
      line.msg = String(message);
    }
    const extra = args.find((a) => typeof a === 'string' && a.includes('\n    at '));
    if (extra) line.stack = extra;
    this.pino[level](line);
  }
}

export class ContextLogger {
  constructor(
    private readonly root: LoggerService,
    private readonly context: string,
  ) {}
  debug(msg: string | Record<string, unknown>): void {
    this.root.debug?.(msg, this.context);
  }
  info(msg: string | Record<string, unknown>): void {
    this.root.log(msg, this.context);
  }
  warn(msg: string | Record<string, unknown>): void {
    this.root.warn(msg, this.context);
  }
  error(msg: string | Record<string, unknown>): void {
    this.root.error(msg, this.context);
  }
}

/** JSON has no bigint; a top-level bigint field is written as its decimal string. */
function bigintsAsStrings(fields: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(fields)) if (typeof fields[k] === 'bigint') fields[k] = (fields[k] as bigint).toString();
  return fields;
}
