import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { QueryPlan, RpcErrorCode, SObjectDescription } from '@asyncops/contracts';
import { RpcError } from '@asyncops/messaging';
import { RecordFormatter } from '@asyncops/soql';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { entityIsDeleted, resourceNotFound, SalesforceApiError } from '../errors/salesforce-error';
import { ApiVersionPipe } from '../http/api-version.pipe';
import { SalesforceCallers } from '../records/caller';
import { SalesforceTrackerClient } from '../salesforce-tracker.client';
import { basicInfo, describeGlobal, describeLayout, describeSObject } from '../describe/describe';
import { recordNumberOf, sobjectNamed } from './sobject-lookup';

const RECENT_ITEMS = 25;

/** describeGlobal, basic info, describe, describeLayout, retrieve and delete. */
@ApiTags('salesforce')
@Controller('services/data/:version/sobjects')
export class SObjectsController {
  constructor(
    private readonly tracker: SalesforceTrackerClient,
    private readonly callers: SalesforceCallers,
  ) {}

  @Get()
  global(@Param('version', ApiVersionPipe) version: string) {
    return describeGlobal(version);
  }

  @Get(':object/describe')
  describe(@Param('version', ApiVersionPipe) version: string, @Param('object') objectName: string) {
    return describeSObject(sobjectNamed(objectName), version);
  }

  @Get(':object/describe/layouts')
  layouts(@Param('version', ApiVersionPipe) _version: string, @Param('object') objectName: string) {
    return describeLayout(sobjectNamed(objectName));
  }

  @Get(':object')
  async basic(@Param('version', ApiVersionPipe) version: string, @Param('object') objectName: string, @AuthenticatedClientId() clientId: string) {
    const object = sobjectNamed(objectName);
    const plan: QueryPlan = {
      object: object.name,
      select: ['Id'],
      count: false,
      where: { kind: 'compare', field: 'LastViewedDate', op: '!=', value: null },
      orderBy: [{ field: 'LastViewedDate', direction: 'DESC', nulls: 'LAST' }],
      limit: RECENT_ITEMS,
      offset: 0,
      forView: false,
    };
    const recent = await this.read(object, version, clientId, plan);
    return basicInfo(object, version, recent);
  }

  @Get(':object/:id')
  async retrieve(
    @Param('version', ApiVersionPipe) version: string,
    @Param('object') objectName: string,
    @Param('id') id: string,
    @Query('fields') fields: unknown,
    @AuthenticatedClientId() clientId: string,
  ) {
    const object = sobjectNamed(objectName);
    const n = recordNumberOf(object, id);
    const plan: QueryPlan = {
      object: object.name,
      select: selectedFields(object, fields),
      count: false,
      where: { kind: 'compare', field: 'Id', op: '=', value: n },
      orderBy: [],
      limit: 1,
      offset: 0,
      // A retrieve is a view: Salesforce sets LastViewedDate and LastReferencedDate.
      forView: true,
    };
    const [record] = await this.read(object, version, clientId, plan);
    if (record) return record;
    // A deleted record leaves a tombstone: Salesforce tells it apart from one that never existed.
    throw (await this.tracker.tombstones(clientId, [n])).has(n) ? entityIsDeleted() : resourceNotFound();
  }

  @Delete(':object/:id')
  @HttpCode(204)
  async destroy(@Param('version', ApiVersionPipe) _version: string, @Param('object') objectName: string, @Param('id') id: string, @AuthenticatedClientId() clientId: string): Promise<void> {
    const object = sobjectNamed(objectName);
    if (!object.capabilities.deletable) throw new SalesforceApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method 'DELETE' not allowed. Allowed are GET`);
    const n = recordNumberOf(object, id);
    try {
      await this.tracker.delete(clientId, n);
    } catch (e) {
      if (e instanceof RpcError && e.code === RpcErrorCode.NotFound && (await this.tracker.tombstones(clientId, [n])).has(n)) throw entityIsDeleted();
      throw e;
    }
  }

  private async read(object: SObjectDescription, version: string, clientId: string, plan: QueryPlan) {
    const caller = this.callers.of(clientId);
    const res = await this.tracker.query({ ownerId: clientId, plan, pageOffset: 0, pageSize: Math.max(1, plan.limit ?? 1), withTotal: false });
    return new RecordFormatter(object, version, caller).records(plan, res);
  }
}

/** `?fields=A,B` (or a list): each must be a field of the object; Id leads, as Salesforce always returns it. */
export function selectedFields(object: SObjectDescription, fields: unknown): string[] {
  if (fields === undefined || fields === '') return object.fields.map((f) => f.name);
  const list = typeof fields === 'string' ? fields.split(',') : Array.isArray(fields) && fields.every((f) => typeof f === 'string') ? (fields as string[]) : undefined;
  if (!list) throw new SalesforceApiError(400, 'INVALID_FIELD', 'fields: give the field names once, comma-separated');
  const names = ['Id'];
  for (const raw of list) {
    const wanted = raw.trim();
    const f = object.fields.find((x) => x.name.toLowerCase() === wanted.toLowerCase());
    if (!f) throw new SalesforceApiError(400, 'INVALID_FIELD', `No such column '${wanted}' on sobject of type ${object.name}`, [wanted]);
    if (!names.includes(f.name)) names.push(f.name);
  }
  return names;
}
