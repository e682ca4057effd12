import { LoggerService } from '@nestjs/common';
import { currentCorrelationId } from './correlation';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * One JSON object per line on stdout, so log shippers parse every field without regexes.
 * Nest calls log(message, context) / error(message, stack, context); structured callers pass
 * an object as the message and its fields are merged into the line.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  constructor(
    private readonly service: string,
    level: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {
    this.threshold = LEVELS[level];
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
    if (LEVELS[level] < this.threshold) return;
    const args = [...rest];
    const context = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const line: Record<string, unknown> = { time: new Date().toISOString(), level, service: this.service };
    if (context) line.context = context;
    // Lines written while handling a request or message carry its id, whoever writes them.
    const correlationId = currentCorrelationId();
    if (correlationId) line.correlationId = correlationId;
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
    this.write(safeStringify(line));
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

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    return JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'unserialisable log line' });
  }
}
