import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ExchangeRole, ORDER_PLACEMENT_COMMANDS_PATTERN, ORDER_PLACEMENT_RPC_PATTERN, PENDING_ORDER_CONVERSION_PATTERN, TrackerEvents } from '@asyncops/contracts';
import { AmqpConnection, AmqpTransport, ConfirmedPublisher, OutboxRelay } from '@asyncops/messaging';
import { migrate } from '@asyncops/persistence';
import { loadConfig, runService } from '@asyncops/platform';
import { OrderPlacementModule } from './app.module';
import { ORDER_PLACEMENT_SCHEMA, OrderPlacementConfig } from './config';
import { orderPlacementDataSourceOptions } from './database';
import { ORDER_PLACEMENT_CANCELLATIONS_QUEUE, ORDER_PLACEMENT_COMMANDS_QUEUE, ORDER_PLACEMENT_RPC_QUEUE, PENDING_ORDER_CONVERSION_QUEUE } from './queues';

void runService<OrderPlacementConfig>({
  name: 'order-placement',
  loadConfig: () => loadConfig('order-placement', OrderPlacementConfig),
  migrate: (config) => migrate(orderPlacementDataSourceOptions(config)),
  module: (config, logger) => OrderPlacementModule.forRoot(config, logger),
  configure: async (app, config, logger) => {
    const transport = new AmqpTransport({
      connection: app.get(AmqpConnection),
      publisher: app.get(ConfirmedPublisher),
      log: logger.child('AmqpTransport'),
      persistence: { dataSource: app.get(DataSource), schema: ORDER_PLACEMENT_SCHEMA, relay: app.get(OutboxRelay) },
      consumers: [
        {
          queue: { name: ORDER_PLACEMENT_RPC_QUEUE, bindings: [{ exchange: ExchangeRole.Commands, pattern: ORDER_PLACEMENT_RPC_PATTERN }], requests: true },
          concurrency: config.CONSUMER_CONCURRENCY,
        },
        {
          // Batches of one order run one after another (the transport's per-operation lanes and
          // the order row lock); different orders run side by side.
          queue: { name: ORDER_PLACEMENT_COMMANDS_QUEUE, bindings: [{ exchange: ExchangeRole.Commands, pattern: ORDER_PLACEMENT_COMMANDS_PATTERN }] },
          concurrency: config.CONSUMER_CONCURRENCY,
        },
        {
          queue: { name: PENDING_ORDER_CONVERSION_QUEUE, bindings: [{ exchange: ExchangeRole.Commands, pattern: PENDING_ORDER_CONVERSION_PATTERN }] },
          concurrency: config.CONSUMER_CONCURRENCY,
        },
        {
          // Its own queue, so a cancel request never waits behind a backlog of batches.
          queue: { name: ORDER_PLACEMENT_CANCELLATIONS_QUEUE, bindings: [{ exchange: ExchangeRole.Events, pattern: TrackerEvents.CancelRequested }] },
          concurrency: 4,
        },
      ],
    });
    app.connectMicroservice({ strategy: transport });
    await app.startAllMicroservices();
  },
});
