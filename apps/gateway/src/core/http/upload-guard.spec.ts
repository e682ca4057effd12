import type { Request, Response } from 'express';
import { PayloadTooLargeError } from '../errors/gateway-errors';
import { DialectRegistry } from '../surfaces/dialect-registry';
import { MULTIPART_FRAMING_BYTES, uploadSizeGuard } from './upload-guard';

function registry(max: number): DialectRegistry {
  const dialects = new DialectRegistry();
  dialects.register({ name: 'uploading', uploads: { routes: [/^\/files\/[^/]+\/upload$/], maxFileBytes: max } });
  return dialects;
}

function run(path: string, contentLength: number | undefined, max = 4096): { error: unknown; resumed: boolean } {
  let resumed = false;
  const req = {
    method: 'POST',
    path,
    headers: contentLength === undefined ? {} : { 'content-length': String(contentLength) },
    resume: () => (resumed = true),
  } as unknown as Request;
  let error: unknown = 'not called';
  uploadSizeGuard(registry(max))(req, {} as Response, (e?: unknown) => (error = e));
  return { error, resumed };
}

describe('uploadSizeGuard', () => {
  it('refuses an upload to a declared route whose declared length exceeds its cap, before reading it', () => {
    for (const path of ['/files/a/upload', '/files/b/upload']) {
      const { error, resumed } = run(path, 4096 + MULTIPART_FRAMING_BYTES + 1);
      expect(error).toBeInstanceOf(PayloadTooLargeError);
      expect(resumed).toBe(true);
    }
  });

  it('lets through uploads within the cap, without a declared length, and other routes', () => {
    expect(run('/files/a/upload', 4096 + MULTIPART_FRAMING_BYTES).error).toBeUndefined();
    expect(run('/files/a/upload', undefined).error).toBeUndefined();
    expect(run('/api/v1/operations', 10 * MULTIPART_FRAMING_BYTES).error).toBeUndefined();
  });
});
