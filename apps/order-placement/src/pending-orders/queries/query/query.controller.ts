import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { PendingOrderQueryRequest, PendingOrderQueryResult, PendingOrderQueryRpc } from '@asyncops/contracts';
import { AmqpContext, answering, RethrowRpcExceptionFilter } from '@asyncops/messaging';
import { compilePendingOrderQuery, PendingOrderQueryError } from './pending-order-sql';

/** SOQL on PendingOrderSummary, already checked against the seed's rules by the gateway. */
@Controller()
@UseFilters(RethrowRpcExceptionFilter)
export class QueryPendingOrdersController {
  @MessagePattern(PendingOrderQueryRpc.Query)
  async query(@Payload() req: PendingOrderQueryRequest, @Ctx() ctx: AmqpContext): Promise<PendingOrderQueryResult> {
    const compiled = await answering(async () => compilePendingOrderQuery(req), { invalid: [PendingOrderQueryError] });
    const rows: Array<Record<string, string | number | null>> = await ctx.manager.query(compiled.rows.sql, compiled.rows.params);
    const [{ n }]: Array<{ n: number }> = await ctx.manager.query(compiled.count.sql, compiled.count.params);
    return {
      // bigint ids arrive as text; the gateway turns them into record ids.
      rows: rows.map((r) => req.select.map((_, i) => r[`c${i}`] ?? null)),
      totalSize: req.limit === undefined ? n : Math.min(n, req.limit),
    };
  }
}

