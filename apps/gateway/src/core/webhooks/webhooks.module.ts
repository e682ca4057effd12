import { Module } from '@nestjs/common';
import { LiveEventsModule } from '../live/live-events.module';
import { WebhooksController } from './webhooks.controller';

/** Native webhook registration; the tracker stores, signs and sends the deliveries. */
@Module({
  imports: [LiveEventsModule],
  controllers: [WebhooksController],
})
export class WebhooksModule {}
