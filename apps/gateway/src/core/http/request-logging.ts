import type { NextFunction, Request, Response } from 'express';
import { JsonLogger, runWithCorrelationId } from '@asyncops/platform';
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
      const line = {
        msg: `${req.method} ${req.path} ${res.statusCode}`,
        event: 'http-request',
        requestId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        clientId: clientIdOf(req),
        completed: res.writableFinished,
      };
      if (req.path.startsWith('/health/')) log.debug(line);
      else if (res.statusCode >= 500) log.warn(line);
      else log.info(line);
    });
    // Everything the request causes (log lines, RPCs, published messages) carries its id.
    runWithCorrelationId(requestId, next);
  };
}
