import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AmqpHealthIndicator, MessagingModule } from '@asyncops/messaging';
import { DatabaseHealthIndicator } from '@asyncops/persistence';
import { HealthModule, JsonLogger } from '@asyncops/platform';
import { AuthModule } from './core/auth/auth.module';
import { GatewayConfig } from './config';
import { GatewayRpc } from './core/errors/gateway-rpc';
import { gatewayDataSourceOptions } from './core/idempotency/gateway-database';
import { IdempotencyModule } from './core/idempotency/idempotency.module';
import { RateLimitModule } from './core/rate-limit/rate-limit.module';
import { BrokerBlockModule } from './core/broker-block/broker-block.interceptor';
import { ReadEdgeModule } from './core/http/read-edge';
import { OperationsModule } from './dialects/native/operations/operations.module';
import { OrdersModule } from './dialects/native/orders.module';
import { SalesforceModule } from './dialects/salesforce/salesforce.module';
import { SurfacesModule } from './core/surfaces/surfaces.module';
import { VoucherifyModule } from './dialects/voucherify/voucherify.module';
import { ZuoraModule } from './dialects/zuora/zuora.module';
import { RevenueCloudModule } from './dialects/revenue-cloud/revenue-cloud.module';
import { LiveEventsModule } from './core/live/live-events.module';
import { WebhooksModule } from './core/webhooks/webhooks.module';

/** Makes the validated config, the process logger and the RPC helper injectable everywhere. */
@Module({})
class GatewayCoreModule {}

export interface AppModuleOverrides {
  /**
   * Replaces the broker-backed MessagingModule; in-process tests pass a global module that
   * provides RpcClient, AmqpConnection and AmqpHealthIndicator fakes.
   */
  messaging?: DynamicModule;
  /**
   * Replaces the gateway's TypeORM module (idempotency records). By default its DataSource is
   * created uninitialised and main.ts initialises it after migrating, so in-process tests that
   * never touch the database need no PostgreSQL.
   */
  database?: DynamicModule;
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
            GatewayRpc,
          ],
          exports: [GatewayConfig, JsonLogger, GatewayRpc],
        },
        // No schema for messaging: the gateway keeps only request bookkeeping (idempotency records) in
        // its own schema and publishes nothing transactionally, so it has no outbox or inbox to relay.
        overrides.messaging ??
          MessagingModule.forRoot({
            service: 'gateway',
            url: config.AMQP_URL,
            prefix: config.AMQP_PREFIX,
            deliveryLimit: config.AMQP_DELIVERY_LIMIT,
            logger,
          }),
        overrides.database ?? TypeOrmModule.forRoot({ ...gatewayDataSourceOptions(config), manualInitialization: true }),
        // The broker indicator is the instance the global MessagingModule exports, so it is not re-declared here.
        HealthModule.forRoot([DatabaseHealthIndicator], [AmqpHealthIndicator, DatabaseHealthIndicator]),
        // Before the dialect modules, which register into it as they are constructed.
        SurfacesModule,
        AuthModule,
        // Registered before the feature modules: its global interceptor wraps every route.
        RateLimitModule,
        // Before idempotency: a blocked broker is answered without touching the database.
        BrokerBlockModule,
        IdempotencyModule,
        // Before the dialect modules, which register their single-record reads into it.
        ReadEdgeModule,
        OperationsModule,
        OrdersModule,
        SalesforceModule,
        VoucherifyModule,
        ZuoraModule,
        RevenueCloudModule,
        LiveEventsModule,
        WebhooksModule,
      ],
    };
  }
}
