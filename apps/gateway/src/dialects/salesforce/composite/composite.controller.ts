import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ASYNC_OPERATION_TRACKER, decodeRecordId, MAX_COLLECTION_DELETE_IDS, MAX_COLLECTION_RETRIEVE_IDS, MAX_IN_VALUES, ORDER_SUMMARY, QueryPlan, SObjectDescription } from '@asyncops/contracts';
import { RecordFormatter, SalesforceRecord } from '@asyncops/soql';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { RATE_LIMIT_SETTINGS, RateLimitSettings } from '../../../core/rate-limit/rate-limit-config';
import { TokenBuckets } from '../../../core/rate-limit/token-bucket';
import { SalesforceApiError } from '../errors/salesforce-error';
import { ApiVersionPipe } from '../http/api-version.pipe';
import { orgLimits } from '../limits/org-limits';
import { SalesforceCallers } from '../records/caller';
import { SalesforceTrackerClient } from '../salesforce-tracker.client';
import { selectedFields } from '../sobjects/sobjects.controller';
import { sobjectNamed } from '../sobjects/sobject-lookup';
import { OrderSummariesClient } from '../order-summaries/order-summaries.client';
import { collectionDeleteResults, CollectionSaveResult, parseIdList } from './collection-results';

/**
 * sObject Collections (`composite/sobjects`): retrieve several records of one object (jsforce's
 * `retrieve([ids])`) and delete several records (`destroy([ids])`), plus `limits`.
 */
@ApiTags('salesforce')
@Controller('services/data/:version')
export class CompositeController {
  constructor(
    private readonly tracker: SalesforceTrackerClient,
    private readonly callers: SalesforceCallers,
    private readonly summaries: OrderSummariesClient,
    private readonly buckets: TokenBuckets,
    @Inject(RATE_LIMIT_SETTINGS) private readonly rates: RateLimitSettings,
  ) {}

  // A retrieve that happens to use POST (for long id lists): Salesforce answers 200, not 201.
  @Post('composite/sobjects/:object')
  @HttpCode(200)
  retrieveByBody(@Param('version', ApiVersionPipe) version: string, @Param('object') objectName: string, @Body() body: unknown, @AuthenticatedClientId() clientId: string) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'the request body must be a JSON object {"ids": [...], "fields": [...]}');
    const { ids, fields } = body as { ids?: unknown; fields?: unknown };
    if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string')) throw new SalesforceApiError(400, 'INVALID_FIELD', 'ids: must be an array of record ids', ['ids']);
    if (!Array.isArray(fields) || fields.length === 0) throw new SalesforceApiError(400, 'INVALID_FIELD', 'fields: must be a non-empty array of field names', ['fields']);
    return this.retrieve(version, objectName, ids as string[], fields, clientId);
  }

  @Get('composite/sobjects/:object')
  retrieveByQuery(
    @Param('version', ApiVersionPipe) version: string,
    @Param('object') objectName: string,
    @Query('ids') ids: unknown,
    @Query('fields') fields: unknown,
    @AuthenticatedClientId() clientId: string,
  ) {
    if (typeof fields !== 'string' || fields.trim() === '') throw new SalesforceApiError(400, 'INVALID_FIELD', 'fields: give the field names once, comma-separated', ['fields']);
    return this.retrieve(version, objectName, parseIdList(ids), fields, clientId);
  }

  @Delete('composite/sobjects')
  async destroy(@Param('version', ApiVersionPipe) _version: string, @Query('ids') ids: unknown, @Query('allOrNone') allOrNone: unknown, @AuthenticatedClientId() clientId: string): Promise<CollectionSaveResult[]> {
    const list = parseIdList(ids);
    if (list.length > MAX_COLLECTION_DELETE_IDS) {
      throw new SalesforceApiError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION_DELETE_IDS} records into this call`, ['ids']);
    }
    const atomic = parseBoolean(allOrNone, 'allOrNone');
    const decoded = list.map((id) => decodeRecordId(ASYNC_OPERATION_TRACKER.keyPrefix, id));
    const numbers = decoded.flatMap((d) => (d.ok ? [d.number] : []));
    const invalid = decoded.some((d) => !d.ok);
    const outcomes = numbers.length && !(atomic && invalid) ? await this.tracker.deleteMany(clientId, numbers, atomic) : { outcomes: numbers.map(() => 'notFound' as const), rolledBack: atomic };
    return collectionDeleteResults(list, decoded, outcomes.outcomes, atomic && (invalid || outcomes.rolledBack));
  }

  @Get('limits')
  limits(@Param('version', ApiVersionPipe) _version: string, @AuthenticatedClientId() clientId: string) {
    const rate = this.rates.overrides.get(clientId) ?? this.rates.defaultRate;
    return orgLimits(rate, this.buckets.tokensLeft(`client:${clientId}`, rate));
  }

  /** Records in request order; null where an id names no record the caller can see. */
  private async retrieve(version: string, objectName: string, ids: string[], fields: unknown, clientId: string): Promise<Array<SalesforceRecord | null>> {
    // OrderSummary lives in order-placement; the tracker's objects in the tracker.
    const object = objectName.toLowerCase() === ORDER_SUMMARY.name.toLowerCase() ? ORDER_SUMMARY : sobjectNamed(objectName);
    if (ids.length === 0) throw new SalesforceApiError(400, 'INVALID_FIELD', 'ids: give at least one record id', ['ids']);
    if (ids.length > MAX_COLLECTION_RETRIEVE_IDS) {
      throw new SalesforceApiError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION_RETRIEVE_IDS} records into this call`, ['ids']);
    }
    const wanted = ids.map((id) => {
      const d = decodeRecordId(object.keyPrefix, id);
      if (!d.ok) throw new SalesforceApiError(400, 'MALFORMED_ID', `${object.name} ID: id value of incorrect type: ${id}`, ['ids']);
      return d;
    });
    const unique = [...new Set(wanted.map((d) => d.number))];
    const select = selectedFields(object, fields);
    const byId = new Map<string, SalesforceRecord>();
    // A plan's IN list holds at most MAX_IN_VALUES ids: larger requests read in slices.
    for (let i = 0; i < unique.length; i += MAX_IN_VALUES) {
      const slice = unique.slice(i, i + MAX_IN_VALUES);
      const plan: QueryPlan = {
        object: object.name,
        select,
        count: false,
        where: { kind: 'in', field: 'Id', negate: false, values: slice },
        orderBy: [],
        limit: slice.length,
        offset: 0,
        // A retrieve is a view where the object keeps LastViewedDate; OrderSummary does not here.
        forView: object !== ORDER_SUMMARY,
      };
      for (const r of await this.read(object, version, clientId, plan)) byId.set(String(r.Id), r);
    }
    return wanted.map((d) => byId.get(d.id18) ?? null);
  }

  private async read(object: SObjectDescription, version: string, clientId: string, plan: QueryPlan) {
    const formatter = new RecordFormatter(object, version, this.callers.of(clientId));
    const pageSize = Math.max(1, plan.limit ?? 1);
    const request = { ownerId: clientId, plan, pageOffset: 0, pageSize, withTotal: false };
    const res = object === ORDER_SUMMARY ? await this.summaries.query(request) : await this.tracker.query(request);
    return formatter.records(plan, res);
  }
}

function parseBoolean(raw: unknown, name: string): boolean {
  if (raw === undefined || raw === '') return false;
  if (typeof raw === 'string' && ['true', 'false'].includes(raw.toLowerCase())) return raw.toLowerCase() === 'true';
  throw new SalesforceApiError(400, 'INVALID_FIELD', `${name}: must be true or false`, [name]);
}
