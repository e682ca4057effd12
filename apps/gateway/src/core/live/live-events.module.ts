import { Module } from '@nestjs/common';
import { LiveEventHub } from './live-event-hub';
import { LiveEventsController } from './live-events.controller';

/** The native live event stream (SSE) of an owner's operation changes. */
@Module({
  controllers: [LiveEventsController],
  providers: [LiveEventHub],
})
export class LiveEventsModule {}
