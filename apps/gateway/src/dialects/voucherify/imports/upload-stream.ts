import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import { UPLOAD_CHUNK_BYTES } from '@asyncops/contracts';
import { InvalidUploadError, UploadTooLargeError } from '../voucherify-errors';

export interface StoredUpload {
  chunks: number;
  bytes: number;
}

/** Where the chunks go; awaited before the next chunk is read, which is the backpressure. */
export type ChunkSink = (seq: number, data: Buffer) => Promise<void>;

/**
 * Streams the multipart field `file` to `sink` in fixed-size chunks, in order. At most one
 * chunk is held at a time, so memory stays bounded whatever the file size; the limit is checked
 * as bytes arrive, so an oversized upload is refused as soon as it crosses it.
 */
export function streamUpload(req: Request, maxBytes: number, sink: ChunkSink, chunkBytes = UPLOAD_CHUNK_BYTES): Promise<StoredUpload> {
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    return Promise.reject(new InvalidUploadError('file', 'multipart', 'the request must be multipart/form-data with the CSV file in the field "file"'));
  }
  return new Promise<StoredUpload>((resolve, reject) => {
    let settled = false;
    let work: Promise<StoredUpload> | undefined;
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fileSize: maxBytes + 1 } });
    } catch (e) {
      reject(new InvalidUploadError('file', 'multipart', `the multipart body cannot be read: ${(e as Error).message}`));
      return;
    }
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(bb);
      reject(e);
    };
    bb.on('file', (name, stream) => {
      if (name !== 'file' || work) {
        stream.resume();
        return;
      }
      work = consume(stream, maxBytes, chunkBytes, sink);
      work.catch(fail);
    });
    bb.on('error', (e: Error) => fail(new InvalidUploadError('file', 'multipart', `the multipart body cannot be read: ${e.message}`)));
    bb.on('close', () => {
      if (!work) return fail(new InvalidUploadError('file', 'required', 'the multipart field "file" is required'));
      work.then((r) => {
        if (settled) return;
        settled = true;
        resolve(r);
      }, fail);
    });
    req.on('aborted', () => fail(new InvalidUploadError('file', 'incomplete', 'the upload was aborted by the client')));
    req.pipe(bb);
  });
}

async function consume(stream: Readable, maxBytes: number, chunkBytes: number, sink: ChunkSink): Promise<StoredUpload> {
  let seq = 0;
  let bytes = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async (all: boolean) => {
    while (pendingBytes >= chunkBytes || (all && pendingBytes > 0)) {
      const joined = Buffer.concat(pending, pendingBytes);
      const out = joined.subarray(0, Math.min(chunkBytes, joined.length));
      const rest = joined.subarray(out.length);
      pending = rest.length ? [rest] : [];
      pendingBytes = rest.length;
      await sink(seq++, out);
    }
  };
  try {
    for await (const data of stream as AsyncIterable<Buffer>) {
      bytes += data.length;
      if (bytes > maxBytes) throw new UploadTooLargeError(maxBytes);
      pending.push(data);
      pendingBytes += data.length;
      if (pendingBytes >= chunkBytes) await flush(false);
    }
    await flush(true);
  } catch (e) {
    stream.resume();
    throw e;
  }
  return { chunks: seq, bytes };
}
