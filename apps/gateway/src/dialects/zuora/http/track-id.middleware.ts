import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ZuoraApiError, ZuoraErrorCode } from '../errors/zuora-error';
import { TRACK_ID_HEADER, trackIdProblem } from './track-id';

/** Validates Zuora-Track-Id and echoes it on every answer of the route, errors included. */
@Injectable()
export class TrackIdMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const raw = req.headers['zuora-track-id'];
    if (raw !== undefined) {
      const problem = Array.isArray(raw) ? 'must be sent once' : trackIdProblem(raw);
      if (problem) throw new ZuoraApiError(400, [{ code: ZuoraErrorCode.InvalidHeader, message: `${TRACK_ID_HEADER}: ${problem}` }]);
      res.setHeader(TRACK_ID_HEADER, raw);
    }
    next();
  }
}
