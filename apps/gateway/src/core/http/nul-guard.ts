import type { NextFunction, Request, Response } from 'express';
import { BadRequestError } from '../errors/gateway-errors';

/**
 * No id, parameter or query value of any surface may hold a NUL character: PostgreSQL text cannot
 * store one, so it would fail deep in a service instead of here. Refused before routing, in the
 * surface's own shape (the problem filter picks it by path).
 */
export function nulGuard() {
  return function nulGuard(req: Request, _res: Response, next: NextFunction): void {
    if (/%00/.test(req.originalUrl)) {
      req.resume();
      next(new BadRequestError('The request URL contains a NUL character (%00), which no id, parameter or query value accepts.'));
      return;
    }
    next();
  };
}
