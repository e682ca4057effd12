import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { resourceNotFound } from '../errors/salesforce-error';
import { sobjectNamed } from '../sobjects/sobject-lookup';
import { ApiVersionPipe } from '../http/api-version.pipe';
import { encodeRecordId, salesforceDateTime } from '../ids/record-id';
import { SalesforceTrackerClient } from '../salesforce-tracker.client';
import { replicationWindow } from './replication-window';

/** Only objects whose capabilities say replicateable have feeds. */
const objectOf = (name: string) => {
  const object = sobjectNamed(name);
  if (!object.capabilities.replicateable) throw resourceNotFound();
  return object;
};

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
    const object = objectOf(objectName);
    const w = replicationWindow('updated', start, end, new Date());
    const res = await this.tracker.updated({ ownerId: clientId, object: object.name, start: w.start.toISOString(), end: w.end.toISOString() });
    return { ids: res.asyncOperationNumbers.map((n) => encodeRecordId(object.keyPrefix, n)), latestDateCovered: salesforceDateTime(w.latestDateCovered) };
  }

  @Get('deleted')
  async deleted(
    @Param('version', ApiVersionPipe) _version: string,
    @Param('object') objectName: string,
    @Query('start') start: unknown,
    @Query('end') end: unknown,
    @AuthenticatedClientId() clientId: string,
  ) {
    const object = objectOf(objectName);
    const w = replicationWindow('deleted', start, end, new Date());
    const res = await this.tracker.deleted({ ownerId: clientId, object: object.name, start: w.start.toISOString(), end: w.end.toISOString() });
    return {
      deletedRecords: res.deleted.map((d) => ({ id: encodeRecordId(object.keyPrefix, d.asyncOperationNumber), deletedDate: salesforceDateTime(d.deletedAt) })),
      earliestDateAvailable: salesforceDateTime(res.earliestDateAvailable),
      latestDateCovered: salesforceDateTime(w.latestDateCovered),
    };
  }
}
