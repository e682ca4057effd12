import type { NextFunction, Request, Response } from 'express';
import { PayloadTooLargeError } from '../errors/gateway-errors';

/** Routes that stream a multipart file to storage (Voucherify importCSV). */
export const UPLOAD_ROUTES: readonly RegExp[] = [/^\/v1\/(vouchers|customers|products|skus)\/importCSV\/?$/, /^\/v1\/campaigns\/[^/]+\/importCSV\/?$/];

/** Room for multipart boundaries, part headers and the small form fields around the file. */
export const MULTIPART_FRAMING_BYTES = 1024 * 1024;

/**
 * An upload whose declared length already exceeds the file cap is refused before a single byte
 * is read, so nothing of it reaches storage. Uploads without a length (chunked) are still cut
 * off by the streaming check of the route itself.
 */
export function uploadSizeGuard(maxFileBytes: number) {
  return function uploadSizeGuard(req: Request, _res: Response, next: NextFunction): void {
    const declared = Number(req.headers['content-length']);
    if (req.method === 'POST' && Number.isFinite(declared) && declared > maxFileBytes + MULTIPART_FRAMING_BYTES && UPLOAD_ROUTES.some((r) => r.test(req.path))) {
      req.resume();
      next(new PayloadTooLargeError(maxFileBytes));
      return;
    }
    next();
  };
}
