import { DynamicModule, Module } from '@nestjs/common';
import { AmqpHealthIndicator, MessagingModule } from '@asyncops/messaging';
import { HealthModule, JsonLogger } from '@asyncops/platform';
import { AuthModule } from './auth/auth.module';
import { GatewayConfig } from './config';
import { OperationsModule } from './operations/operations.module';
import { OrdersModule } from './orders/orders.module';
import { SalesforceModule } from './salesforce/salesforce.module';

/** Makes the validated config and the process logger injectable everywhere. */
@Module({})
class GatewayCoreModule {}

export interface AppModuleOverrides {
  /**
   * Replaces the broker-backed MessagingModule; in-process tests pass a global module that
   * provides RpcClient, AmqpConnection and AmqpHealthIndicator fakes.
   */
  messaging?: DynamicModule;
}

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, logger: JsonLogger, overrides: AppModuleOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        {
          module: GatewayCoreModule,
          global: true,
          providers: [
            { provide: GatewayConfig, useValue: config },
            { provide: JsonLogger, useValue: logger },
          ],
          exports: [GatewayConfig, JsonLogger],
        },
        // No schema: the gateway owns no tables, so it has no outbox or inbox to relay.
        overrides.messaging ??
          MessagingModule.forRoot({
            service: 'gateway',
            url: config.AMQP_URL,
            prefix: config.AMQP_PREFIX,
            deliveryLimit: config.AMQP_DELIVERY_LIMIT,
            logger,
          }),
        // The indicator is the instance the global MessagingModule exports, so nothing is re-declared here.
        HealthModule.forRoot([], [AmqpHealthIndicator]),
        AuthModule,
        OperationsModule,
        OrdersModule,
        SalesforceModule,
      ],
    };
  }
}
