import { Module } from '@nestjs/common';
import { WebhooksController } from './webhooks.controller';

/** Native webhook registration; the tracker stores, signs and sends the deliveries. */
@Module({
  controllers: [WebhooksController],
})
export class WebhooksModule {}
