import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ReplicationWindowRequest } from '@asyncops/contracts';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { resourceNotFound } from '../errors/salesforce-error';
import { sobjectNamed } from '../sobjects/sobject-lookup';
import { ApiVersionPipe } from '../http/api-version.pipe';
import { encodeRecordId, salesforceDateTime } from '../ids/record-id';
import { SalesforceTrackerClient } from '../salesforce-tracker.client';
import { FeedKind, replicationWindow } from './replication-window';

/**
 * What both feeds check and ask the same way: a replicateable object (others have no feeds) and a
 * window within the feed's rules; the tracker is asked for that window, the client told where it ends.
 */
function feedRequest(kind: FeedKind, objectName: string, start: unknown, end: unknown, ownerId: string) {
  const object = sobjectNamed(objectName);
  if (!object.capabilities.replicateable) throw resourceNotFound();
  const w = replicationWindow(kind, start, end, new Date());
  const request: ReplicationWindowRequest = { ownerId, object: object.name, start: w.start.toISOString(), end: w.end.toISOString() };
  return { object, request, latestDateCovered: salesforceDateTime(w.latestDateCovered) };
}

/** getUpdated and getDeleted, owner-scoped. */
@ApiTags('salesforce')
@Controller('services/data/:version/sobjects/:object')
export class ReplicationFeedsController {
  constructor(private readonly tracker: SalesforceTrackerClient) {}

  @Get('updated')
  async updated(
    @Param('version', ApiVersionPipe) _version: string,
    @Param('object') objectName: string,
    @Query('start') start: unknown,
    @Query('end') end: unknown,
    @AuthenticatedClientId() clientId: string,
  ) {
    const { object, request, latestDateCovered } = feedRequest('updated', objectName, start, end, clientId);
    const res = await this.tracker.updated(request);
    return { ids: res.asyncOperationNumbers.map((n) => encodeRecordId(object.keyPrefix, n)), latestDateCovered };
  }

  @Get('deleted')
  async deleted(
    @Param('version', ApiVersionPipe) _version: string,
    @Param('object') objectName: string,
    @Query('start') start: unknown,
    @Query('end') end: unknown,
    @AuthenticatedClientId() clientId: string,
  ) {
    const { object, request, latestDateCovered } = feedRequest('deleted', objectName, start, end, clientId);
    const res = await this.tracker.deleted(request);
    return {
      deletedRecords: res.deleted.map((d) => ({ id: encodeRecordId(object.keyPrefix, d.asyncOperationNumber), deletedDate: salesforceDateTime(d.deletedAt) })),
      earliestDateAvailable: salesforceDateTime(res.earliestDateAvailable),
      latestDateCovered,
    };
  }
}
