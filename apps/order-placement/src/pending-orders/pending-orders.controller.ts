import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  ConversionOutcome,
  ConvertPendingOrdersCommand,
  DeletePendingOrderResult,
  ExchangeRole,
  IngestPendingOrdersRequest,
  IngestPendingOrdersResult,
  OrderPlacementSoqlRpc,
  PENDING_ORDER_CONVERSION_PATTERN,
  PendingOrderCommands,
  PendingOrderRef,
  PendingOrderRpc,
  PendingOrderView,
  SoqlQueryRequest,
  SoqlQueryResponse,
} from '@asyncops/contracts';
import { AmqpContext, answering, Consumes, MessageController, READ_ONLY_REQUEST } from '@asyncops/messaging';
import { QueryPlanError } from '@asyncops/soql';
import { ORDER_PLACEMENT_READS_CONSUMER, ORDER_PLACEMENT_RPC_CONSUMER, PENDING_ORDER_CONVERSION_QUEUE } from '../queues';
import { CONVERSION_CONCURRENCY, PendingOrdersService } from './pending-orders.service';
import { SummariesSoqlQuery } from './queries/query/soql-query';

/**
 * Salesforce pending orders: the gateway's reads (also by SOQL over them and their order summaries)
 * and writes, and the conversions those queue, a chunk per message on a queue of their own.
 */
@MessageController(ORDER_PLACEMENT_RPC_CONSUMER)
@Consumes(ORDER_PLACEMENT_READS_CONSUMER)
@Consumes({ queue: PENDING_ORDER_CONVERSION_QUEUE, bindings: [{ exchange: ExchangeRole.Commands, pattern: PENDING_ORDER_CONVERSION_PATTERN }], concurrency: CONVERSION_CONCURRENCY })
export class PendingOrdersController {
  constructor(
    private readonly pending: PendingOrdersService,
    private readonly soql: SummariesSoqlQuery,
  ) {}

  @MessagePattern(PendingOrderRpc.Get)
  get(@Payload() req: PendingOrderRef, @Ctx() ctx: AmqpContext): Promise<PendingOrderView> {
    return answering(() => this.pending.get(ctx.manager, req.ownerId, req.number));
  }

  /** SOQL on PendingOrderSummary and OrderSummary, planned by the gateway and checked again here. */
  @MessagePattern(OrderPlacementSoqlRpc.Query, READ_ONLY_REQUEST)
  async query(@Payload() req: SoqlQueryRequest, @Ctx() ctx: AmqpContext): Promise<SoqlQueryResponse> {
    return answering(() => this.soql.page(ctx.manager, req), { invalid: [QueryPlanError] });
  }

  /** Records and their conversion commands commit together: a created record is always converted. */
  @MessagePattern(PendingOrderRpc.Ingest)
  ingest(@Payload() req: IngestPendingOrdersRequest, @Ctx() ctx: AmqpContext): Promise<IngestPendingOrdersResult> {
    return answering(() => this.pending.ingest(ctx.manager, ctx.outbox, req));
  }

  /** The seed's manual Import. A failed conversion is an answer, not an error, so its record of the failure commits. */
  @MessagePattern(PendingOrderRpc.Import)
  importNow(@Payload() req: PendingOrderRef, @Ctx() ctx: AmqpContext): Promise<ConversionOutcome> {
    return answering(() => this.pending.importNow(ctx.manager, ctx.outbox, req.ownerId, req.number));
  }

  @MessagePattern(PendingOrderRpc.Delete)
  delete(@Payload() req: PendingOrderRef, @Ctx() ctx: AmqpContext): Promise<DeletePendingOrderResult> {
    return answering(() => this.pending.delete(ctx.manager, req.ownerId, req.number));
  }

  /** A chunk of conversions in its message's deduplicating transaction; acked after it commits. */
  @EventPattern(PendingOrderCommands.Convert)
  async convert(@Payload() cmd: ConvertPendingOrdersCommand, @Ctx() ctx: AmqpContext): Promise<void> {
    await this.pending.convertCommand(ctx.manager, ctx.outbox, cmd);
  }
}
