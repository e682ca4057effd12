import { Module } from '@nestjs/common';
import { ZuoraReads } from './queries/zuora-reads';
import { ZuoraOrdersController } from './zuora-orders.controller';
import { ZuoraOrdersService } from './zuora-orders.service';

/** Zuora's Orders API: orders submitted and processed as jobs, and the orders and subscriptions read back. */
@Module({
  controllers: [ZuoraOrdersController],
  providers: [ZuoraOrdersService, ZuoraReads],
})
export class ZuoraOrdersModule {}
