import type { NextFunction, Request, Response } from 'express';
import { PayloadTooLargeError } from '../errors/gateway-errors';
import type { DialectRegistry } from '../surfaces/dialect-registry';

/** Room for multipart boundaries, part headers and the small form fields around the file. */
export const MULTIPART_FRAMING_BYTES = 1024 * 1024;

/**
 * An upload whose declared length already exceeds the file cap is refused before a single byte
 * is read, so nothing of it reaches storage. Uploads without a length (chunked) are still cut
 * off by the streaming check of the route itself.
 */
export function uploadSizeGuard(dialects: DialectRegistry) {
  return function uploadSizeGuard(req: Request, _res: Response, next: NextFunction): void {
    const declared = Number(req.headers['content-length']);
    const maxFileBytes = req.method === 'POST' && Number.isFinite(declared) ? dialects.uploadCapFor(req.path) : undefined;
    if (maxFileBytes !== undefined && declared > maxFileBytes + MULTIPART_FRAMING_BYTES) {
      req.resume();
      next(new PayloadTooLargeError(maxFileBytes));
      return;
    }
    next();
  };
}
