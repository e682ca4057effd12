import { DynamicModule, INestApplication, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSourceOptions } from 'typeorm';
import { DatabaseHealthIndicator, migrate } from '@asyncops/persistence';
import { BaseConfig, HealthModule, JsonLogger, loadConfig, runService } from '@asyncops/platform';
import { connectAmqpConsumers } from './consumes';
import { AmqpHealthIndicator, MessagingModule } from './messaging.module';

/** A service that owns a schema: its tables, outbox and inbox, fed by the queues its controllers declare. */
export interface TableServiceDefinition<C extends BaseConfig> {
  /** Also the name its configuration errors, logs and published messages carry. */
  name: string;
  /** Its validated configuration, which every provider can inject under this class. */
  config: new () => C;
  /** The schema holding its tables, outbox and inbox. */
  schema: string;
  /** Its TypeORM options, for its migrations and its connection alike. */
  dataSource: (config: C) => DataSourceOptions;
  /** Its root module: its controllers and providers, or the modules of its capabilities. */
  module: Type;
  /** Runs before the consumers start. */
  configure?: (app: INestApplication, config: C, logger: JsonLogger) => Promise<void> | void;
}

/** Starts a service that owns a schema: its migrations first, its consumers last. */
export function runTableService<C extends BaseConfig>(def: TableServiceDefinition<C>): Promise<INestApplication | undefined> {
  return runService<C>({
    name: def.name,
    loadConfig: () => loadConfig(def.name, def.config),
    migrate: (config) => migrate(def.dataSource(config)),
    module: (config, logger) => tableServiceModule(def, config, logger),
    configure: async (app, config, logger) => {
      await def.configure?.(app, config, logger);
      await connectAmqpConsumers(app, config);
    },
  });
}

@Module({})
class ServiceSettingsModule {}

/**
 * The service's root module with what every service that owns a schema runs on: its config and
 * logger for any provider, its database, the broker with the outbox and inbox in its schema, and
 * health (ready when the database and the broker answer).
 */
export function tableServiceModule<C extends BaseConfig>(def: TableServiceDefinition<C>, config: C, logger: JsonLogger): DynamicModule {
  return {
    module: def.module,
    imports: [
      {
        module: ServiceSettingsModule,
        global: true,
        providers: [
          { provide: def.config, useValue: config },
          { provide: JsonLogger, useValue: logger },
        ],
        exports: [def.config, JsonLogger],
      },
      TypeOrmModule.forRoot(def.dataSource(config)),
      MessagingModule.forRoot({
        service: def.name,
        url: config.AMQP_URL,
        prefix: config.AMQP_PREFIX,
        deliveryLimit: config.AMQP_DELIVERY_LIMIT,
        logger,
        schema: def.schema,
        outboxPollMs: config.OUTBOX_POLL_MS,
        processedMessageRetentionDays: config.PROCESSED_MESSAGE_RETENTION_DAYS,
        processedMessagePruneIntervalMs: config.PROCESSED_MESSAGE_PRUNE_INTERVAL_MS,
      }),
      HealthModule.forRoot([DatabaseHealthIndicator], [DatabaseHealthIndicator, AmqpHealthIndicator]),
    ],
  };
}
