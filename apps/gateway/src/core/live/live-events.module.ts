import { Module } from '@nestjs/common';
import { LiveEventHub } from './live-event-hub';
import { LiveEventsController } from './live-events.controller';
import { LiveRpcClient } from './live-rpc-client';

/** The native live event stream (SSE) of an owner's operation changes. */
@Module({
  controllers: [LiveEventsController],
  providers: [LiveEventHub, LiveRpcClient],
  exports: [LiveRpcClient],
})
export class LiveEventsModule {}
