import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { BulkUpdateType, CsvImportType, JSON_IMPORT_TYPES, UPLOAD_CHUNK_BYTES } from '@asyncops/contracts';

export type JsonActionType = (typeof JSON_IMPORT_TYPES)[number] | BulkUpdateType;
import { GatewayConfig } from '../../../config';
import { ensureRequestId } from '../../../core/http/request-context';
import { TrackerClient } from '../../../core/tracker/tracker-client';
import { toAsyncActionId } from '../async-action-id';
import { ImporterClient } from '../importer-client';
import { InvalidUploadError } from '../voucherify-errors';
import { BoundedAppends } from './bounded-appends';
import { streamUpload } from './upload-stream';

/** Chunks of one upload being stored at the same time. */
const UPLOAD_APPENDS_IN_FLIGHT = 8;

/** Items per JSON import request; Express's JSON body limit bounds the bytes. */
export const MAX_JSON_IMPORT_ITEMS = 100_000;

export interface AsyncActionAccepted {
  async_action_id: string;
}

/**
 * Starts a CSV import: the file is stored in the importer chunk by chunk, then the importer
 * starts the action (its row, its first batch and the tracker's `submitted` commit together),
 * then the tracker is asked to create the operation synchronously, so that the id this answers
 * with can be read at once (read-your-writes).
 */
@Injectable()
export class ImportStarter {
  private readonly log = new Logger(ImportStarter.name);

  constructor(
    private readonly importer: ImporterClient,
    private readonly tracker: TrackerClient,
    private readonly config: GatewayConfig,
  ) {}

  async startCsv(req: Request, ownerId: string, type: CsvImportType, campaignId?: string): Promise<AsyncActionAccepted> {
    const uploadId = randomUUID();
    const requestId = ensureRequestId(req).slice(0, 100);
    const appends = new BoundedAppends(UPLOAD_APPENDS_IN_FLIGHT);
    let sent = false;
    let closed = false;
    return this.discardingOnFailure(ownerId, uploadId, () => sent, async () => {
      let stored: { chunks: number; bytes: number };
      try {
        stored = await streamUpload(req, this.config.VOUCHERIFY_UPLOAD_MAX_BYTES, (seq, data) => {
          // A refused upload's reader may still hand over a chunk; storing it would outlive the discard.
          if (closed) return Promise.reject(new InvalidUploadError('file', 'incomplete', 'the upload ended'));
          sent = true;
          return appends.add(() => this.importer.appendChunk({ ownerId, uploadId, seq, data: data.toString('base64') }));
        });
      } finally {
        // Whether the upload ended or failed, no append may still run when this request answers.
        closed = true;
        await appends.drain().catch(() => undefined);
      }
      await appends.drain();
      return this.begin({ ownerId, type, uploadId, chunks: stored.chunks, bytes: stored.bytes, requestId, campaignId });
    });
  }

  /**
   * Starts a JSON import (an array of vouchers or orders). The array is stored like a file, one
   * item per line, so the importer runs it in the same resumable batches as a CSV.
   */
  async startJson(req: Request, body: unknown, ownerId: string, type: JsonActionType, campaignId?: string): Promise<AsyncActionAccepted> {
    if (!Array.isArray(body)) throw new InvalidUploadError('body', 'isArray', 'the request body must be a JSON array');
    if (body.length === 0 || body.length > MAX_JSON_IMPORT_ITEMS) throw new InvalidUploadError('body', 'arrayLength', `the array must hold 1 to ${MAX_JSON_IMPORT_ITEMS} items`);
    const notObject = body.findIndex((item) => typeof item !== 'object' || item === null || Array.isArray(item));
    if (notObject >= 0) throw new InvalidUploadError(`[${notObject}]`, 'isObject', `item ${notObject} must be a JSON object`);
    const uploadId = randomUUID();
    const requestId = ensureRequestId(req).slice(0, 100);
    let seq = 0;
    let bytes = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      const data = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      bytes += data.length;
      await this.importer.appendChunk({ ownerId, uploadId, seq: seq++, data: data.toString('base64') });
    };
    return this.discardingOnFailure(ownerId, uploadId, () => seq > 0, async () => {
      for (const item of body) {
        const line = Buffer.from(`${JSON.stringify(item)}\n`, 'utf8');
        if (pendingBytes + line.length > UPLOAD_CHUNK_BYTES && pendingBytes > 0) await flush();
        pending.push(line);
        pendingBytes += line.length;
        // One item larger than a chunk is split across chunks; the importer reads lines across them.
        while (pendingBytes > UPLOAD_CHUNK_BYTES) {
          const joined = Buffer.concat(pending, pendingBytes);
          pending = [joined.subarray(0, UPLOAD_CHUNK_BYTES)];
          pendingBytes = UPLOAD_CHUNK_BYTES;
          await flush();
          pending = [joined.subarray(UPLOAD_CHUNK_BYTES)];
          pendingBytes = joined.length - UPLOAD_CHUNK_BYTES;
        }
      }
      if (pendingBytes) await flush();
      return this.begin({ ownerId, type, uploadId, chunks: seq, bytes, requestId, campaignId });
    });
  }

  /**
   * A request that fails after chunks were stored (413, an aborted or malformed upload, an import the
   * importer refused to start) deletes them before it answers, instead of leaving them to the
   * importer's age-based sweep. The importer keeps an upload an action already reads, so a start
   * that committed although its reply was lost is not undone. A discard that fails is only logged:
   * the sweep (`UPLOAD_RETENTION_HOURS`) still removes the upload, and the client's answer stays the original error.
   */
  private async discardingOnFailure<T>(ownerId: string, uploadId: string, stored: () => boolean, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (stored()) {
        await this.importer.discardUpload({ ownerId, uploadId }).catch((discardError: Error) => {
          this.log.warn({ msg: 'a refused upload could not be discarded now; the importer sweeps it later', uploadId, error: discardError.message, event: 'upload-discard-failed' });
        });
      }
      throw e;
    }
  }

  private async begin(p: { ownerId: string; type: CsvImportType | JsonActionType; uploadId: string; chunks: number; bytes: number; requestId: string; campaignId?: string }): Promise<AsyncActionAccepted> {
    const { campaignId, ...rest } = p;
    const accepted = await this.importer.startImport({ ...rest, ...(campaignId ? { campaignId } : {}) });
    // Read-your-writes: the action is the tracker's before the answer leaves, as the importer announced it.
    await this.tracker.recordSubmitted(accepted.submitted);
    return { async_action_id: toAsyncActionId(accepted.operationId) };
  }
}
