import type { NextFunction, Request, Response } from 'express';
import { ContextLogger, currentCorrelationId, JsonLogger, runWithCorrelationId } from '@asyncops/platform';
import { wasRefusedBeforeAuth } from '../auth/pre-auth-gate';
import { clientIdOf, ensureRequestId } from './request-context';

/**
 * Assigns the request id before anything else runs and writes one access-log line per request
 * when the response ends (or the caller hangs up), carrying the same id as every other line.
 * The id is also the correlation id of the rest of the pipeline.
 */
export function requestLogging(logger: JsonLogger) {
  const log = logger.child('Http');
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestId = ensureRequestId(req, res);
    const started = process.hrtime.bigint();
    res.once('close', () => {
      if (wasRefusedBeforeAuth(req)) return;
      writeAccessLog(log, requestId, req.method, req.path, res.statusCode, started, clientIdOf(req), res.writableFinished);
    });
    // Everything the request causes (log lines, RPCs, published messages) carries its id.
    runWithCorrelationId(requestId, next);
  };
}

/**
 * The access-log line of one request, when its response ends: `started` is
 * `process.hrtime.bigint()` when it arrived. The one place the line is shaped, shared by the
 * middleware and the answers written before Express. Like every line the request causes, it
 * carries the request id as its correlation id.
 */
export function writeAccessLog(
  log: ContextLogger,
  requestId: string,
  method: string,
  path: string,
  status: number,
  started: bigint,
  clientId: string | undefined,
  completed: boolean,
): void {
  const line = {
    msg: `${method} ${path} ${status}`,
    event: 'http-request',
    requestId,
    method,
    path,
    status,
    durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
    clientId,
    completed,
  };
  if (currentCorrelationId() === requestId) emitAccessLine(log, line);
  else runWithCorrelationId(requestId, () => emitAccessLine(log, line));
}

function emitAccessLine(log: ContextLogger, line: { path: string; status: number }): void {
  if (line.path.startsWith('/health/')) log.debug(line);
  else if (line.status >= 500) log.warn(line);
  else log.info(line);
}
