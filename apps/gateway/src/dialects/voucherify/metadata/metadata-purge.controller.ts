import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { METADATA_PURGE_TYPES, PurgeableResource } from '@asyncops/contracts';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { ensureRequestId } from '../../../core/http/request-context';
import { TrackerClient } from '../../../core/tracker/tracker-client';
import { toAsyncActionId } from '../async-action-id';
import { ImporterClient } from '../importer-client';
import { AsyncActionAccepted } from '../imports/import-starter';
import { InvalidUploadError } from '../voucherify-errors';
import { Idempotent } from '../../../core/idempotency/idempotent.decorator';

/**
 * *.METADATA_KEY_PURGE: removes a metadata key from every campaign, customer, product, voucher or
 * order of the client. @voucherify/sdk has no method for it; the path follows Voucherify's purge of a
 * metadata schema definition, with the resource and key in place of the schema and definition ids.
 */
@ApiTags('voucherify')
@Controller('v1/metadata-schemas')
export class MetadataPurgeController {
  constructor(
    private readonly importer: ImporterClient,
    private readonly tracker: TrackerClient,
  ) {}

  @Post(':resource/definitions/:key/purge')
  @Idempotent()
  @HttpCode(202)
  async purge(@Param('resource') resource: string, @Param('key') key: string, @AuthenticatedClientId() ownerId: string, @Req() req: Request): Promise<AsyncActionAccepted> {
    if (!Object.prototype.hasOwnProperty.call(METADATA_PURGE_TYPES, resource)) {
      throw new InvalidUploadError('resource', 'isIn', `resource must be one of ${Object.keys(METADATA_PURGE_TYPES).join(', ')}`);
    }
    if (!key || key.length > 255) throw new InvalidUploadError('key', 'length', 'key must be 1 to 255 characters');
    const accepted = await this.importer.startMetadataPurge({ ownerId, resource: resource as PurgeableResource, key, requestId: ensureRequestId(req).slice(0, 100) });
    // Read-your-writes: the action is the tracker's before the answer leaves, as the importer announced it.
    await this.tracker.recordSubmitted(accepted.submitted);
    return { async_action_id: toAsyncActionId(accepted.operationId) };
  }
}
