import { Module } from '@nestjs/common';
import { ProcessZuoraOrderController } from './commands/process-order/process-order.controller';
import { SubmitZuoraOrderController } from './commands/submit-order/submit-order.controller';
import { ZuoraReads } from './queries/zuora-reads';
import { ZuoraReadsController } from './queries/zuora-reads.controller';
import { ZuoraOrdersService } from './zuora-orders.service';

/** Zuora's Orders API: orders submitted and processed as jobs, and the orders and subscriptions read back. */
@Module({
  controllers: [SubmitZuoraOrderController, ProcessZuoraOrderController, ZuoraReadsController],
  providers: [ZuoraOrdersService, ZuoraReads],
})
export class ZuoraOrdersModule {}
