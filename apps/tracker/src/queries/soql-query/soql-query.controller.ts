import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { SalesforceTrackerRpc, SoqlQueryRequest, SoqlQueryResponse } from '@asyncops/contracts';
import { AmqpContext, answering, MessageController, READ_ONLY_REQUEST } from '@asyncops/messaging';
import { arrayQuery } from '@asyncops/persistence';
import { ASYNC_OPERATION_TRACKER, asyncOperationTrackerStorage, QueryPlanError, SoqlExecutor } from '@asyncops/soql';
import { TRACKER_SCHEMA } from '../../config';
import { TRACKER_READS_CONSUMER } from '../../queues';

/** The objects this service owns; another object is another entry. */
const SOQL = new SoqlExecutor([{ description: ASYNC_OPERATION_TRACKER, storage: asyncOperationTrackerStorage(TRACKER_SCHEMA) }]);

/** Executes a SOQL plan the gateway lowered, always scoped to the asking owner. */
@MessageController(TRACKER_READS_CONSUMER)
export class SoqlQueryController {
  @MessagePattern(SalesforceTrackerRpc.SoqlQuery, READ_ONLY_REQUEST)
  async query(@Payload() req: SoqlQueryRequest, @Ctx() ctx: AmqpContext): Promise<SoqlQueryResponse> {
    return answering(async () => {
      // FOR VIEW writes the view dates: the read, the update and the time it reports in one transaction.
      if ((req.plan as { forView?: unknown } | null)?.forView === true) return ctx.manager.transaction((m) => SOQL.page(arrayQuery(m), req));
      return SOQL.page(arrayQuery(ctx.manager), req);
    }, { invalid: [QueryPlanError] });
  }
}
