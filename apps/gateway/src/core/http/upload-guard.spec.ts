import type { Request, Response } from 'express';
import { PayloadTooLargeError } from '../errors/gateway-errors';
import { MULTIPART_FRAMING_BYTES, uploadSizeGuard } from './upload-guard';

function run(path: string, contentLength: number | undefined, max = 4096): { error: unknown; resumed: boolean } {
  let resumed = false;
  const req = {
    method: 'POST',
    path,
    headers: contentLength === undefined ? {} : { 'content-length': String(contentLength) },
    resume: () => (resumed = true),
  } as unknown as Request;
  let error: unknown = 'not called';
  uploadSizeGuard(max)(req, {} as Response, (e?: unknown) => (error = e));
  return { error, resumed };
}

describe('uploadSizeGuard', () => {
  it('refuses an importCSV upload whose declared length exceeds the cap, before reading it', () => {
    for (const path of ['/v1/vouchers/importCSV', '/v1/campaigns/camp_1/importCSV', '/v1/skus/importCSV']) {
      const { error, resumed } = run(path, 4096 + MULTIPART_FRAMING_BYTES + 1);
      expect(error).toBeInstanceOf(PayloadTooLargeError);
      expect(resumed).toBe(true);
    }
  });

  it('lets through uploads within the cap, without a declared length, and other routes', () => {
    expect(run('/v1/vouchers/importCSV', 4096 + MULTIPART_FRAMING_BYTES).error).toBeUndefined();
    expect(run('/v1/vouchers/importCSV', undefined).error).toBeUndefined();
    expect(run('/api/v1/operations', 10 * MULTIPART_FRAMING_BYTES).error).toBeUndefined();
  });
});
