import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OperationView, RpcErrorCode } from '@asyncops/contracts';
import { ASYNC_ACTION_TYPES } from '@asyncops/domain';
import { RpcError } from '@asyncops/messaging';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { originOf } from '../../../core/http/request-context';
import { TrackerClient } from '../../../core/tracker/tracker-client';
import { toOperationId } from '../async-action-id';
import { ImporterClient } from '../importer-client';
import { csvLine } from '../reports/report-csv';
import { AsyncActionNotFoundError, ReportNotFoundError } from '../voucherify-errors';
import { isAsyncAction, toAsyncAction, toAsyncActionBase } from './async-action-view';
import { ListAsyncActionsQueryDto } from './list-async-actions.dto';

const REPORT_PAGE = 5000;

/** Voucherify's async actions, read from the tracker (every async action is a tracker operation). */
@ApiTags('voucherify')
@Controller('v1/async-actions')
export class AsyncActionsController {
  constructor(
    private readonly tracker: TrackerClient,
    private readonly importer: ImporterClient,
  ) {}

  @Get()
  async list(@Query() query: ListAsyncActionsQueryDto, @AuthenticatedClientId() clientId: string) {
    const limit = query.limit ?? 10;
    const page = await this.tracker.listOperations({
      ownerId: clientId,
      jobType: [...ASYNC_ACTION_TYPES],
      limit,
      ...(query.end_date ? { submittedTo: new Date(query.end_date).toISOString() } : {}),
    });
    return { object: 'list', data_ref: 'async_actions', async_actions: page.items.map(toAsyncActionBase), has_more: page.nextCursor !== null };
  }

  @Get(':id')
  async get(@Param('id') id: string, @AuthenticatedClientId() clientId: string, @Req() req: Request) {
    const op = await this.find(id, clientId);
    return toAsyncAction(op, originOf(req));
  }

  /** The failed rows as CSV, paged from the importer as they are written: never held whole. */
  @Get(':id/report')
  async report(@Param('id') id: string, @AuthenticatedClientId() clientId: string, @Res() res: Response): Promise<void> {
    const op = await this.find(id, clientId);
    const operationId = op.id;
    let page = await this.importer.listFailures({ ownerId: clientId, operationId, afterRow: 0, limit: REPORT_PAGE }).catch((e: unknown) => {
      throw e instanceof RpcError && e.code === RpcErrorCode.NotFound ? new ReportNotFoundError(id) : e;
    });
    if (!page.reportsAvailableTill || Date.parse(page.reportsAvailableTill) < Date.now()) throw new ReportNotFoundError(id);
    const keyName = page.type.startsWith('VOUCHERS') || page.type.startsWith('CAMPAIGN') ? 'code' : 'source_id';
    res.status(200).setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${id}-failures.csv"`);
    res.write(csvLine(['row', keyName, 'reason']));
    for (;;) {
      for (const r of page.rows) res.write(csvLine([r.row, r.key, r.reason]));
      if (!page.hasMore || !page.rows.length) break;
      page = await this.importer.listFailures({ ownerId: clientId, operationId, afterRow: page.rows[page.rows.length - 1].row, limit: REPORT_PAGE });
    }
    res.end();
  }

  private async find(id: string, clientId: string): Promise<OperationView> {
    const operationId = toOperationId(id);
    if (!operationId) throw new AsyncActionNotFoundError(id);
    try {
      const op = await this.tracker.getOperation(clientId, operationId);
      if (!isAsyncAction(op)) throw new AsyncActionNotFoundError(id);
      return op;
    } catch (e) {
      // An id of the right shape that is not a valid uuid (the tracker refuses it) names nothing either.
      if (e instanceof RpcError && (e.code === RpcErrorCode.NotFound || e.code === RpcErrorCode.Invalid)) throw new AsyncActionNotFoundError(id);
      throw e;
    }
  }
}
