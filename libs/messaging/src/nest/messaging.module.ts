import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { HealthIndicator, JsonLogger } from '@asyncops/platform';
import { AmqpConnection } from '../amqp/connection';
import { ConfirmedPublisher } from '../amqp/publisher';
import { Topology } from '../amqp/topology';
import { ProcessedMessagePruner } from '../inbox/processed-message-pruner';
import { OutboxRelay } from '../outbox/outbox';
import { RpcClient } from '../rpc/rpc-client';

export interface MessagingModuleOptions {
  service: string;
  url: string;
  prefix: string;
  deliveryLimit: number;
  logger: JsonLogger;
  /** For services that own tables: the schema holding their outbox and inbox. */
  schema?: string;
  outboxPollMs?: number;
  /** Days processed message ids are kept (services with a schema prune them); default 7. */
  processedMessageRetentionDays?: number;
  /** How often this replica prunes them; default every 10 minutes. */
  processedMessagePruneIntervalMs?: number;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

@Injectable()
export class AmqpHealthIndicator implements HealthIndicator {
  readonly name = 'broker';
  constructor(private readonly connection: AmqpConnection) {}
  async check(): Promise<void> {
    if (!this.connection.isConnected()) throw new Error('not connected to RabbitMQ');
    const waiting = this.connection.notReadyReason();
    if (waiting) throw new Error(waiting);
    const blocked = this.connection.blocked;
    if (blocked !== undefined) throw new Error(`RabbitMQ is blocking publishers (${blocked})`);
  }
}

/** Connects on start-up, relays the outbox, prunes the inbox, and closes last so in-flight work can finish. */
@Injectable()
class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly connection: AmqpConnection,
    private readonly rpc: RpcClient,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay | null,
    @Inject(ProcessedMessagePruner) private readonly pruner: ProcessedMessagePruner | null,
  ) {}
  async onModuleInit(): Promise<void> {
    await this.connection.start();
    this.relay?.start();
    this.pruner?.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.pruner?.stop();
    await this.relay?.stop();
    this.rpc.close();
    await this.connection.close();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const log = (ctx: string) => options.logger.child(ctx);
    return {
      module: MessagingModule,
      global: true,
      // connectAmqpConsumers finds the queues the app's controllers declare.
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: AmqpConnection,
          useFactory: () =>
            new AmqpConnection(options.url, new Topology(options.prefix, options.deliveryLimit), log('Broker'), `${options.service}@${process.pid}`),
        },
        { provide: ConfirmedPublisher, useFactory: (c: AmqpConnection) => new ConfirmedPublisher(c, options.service, log('Publisher')), inject: [AmqpConnection] },
        { provide: RpcClient, useFactory: (c: AmqpConnection) => new RpcClient(c, options.service, log('RpcClient')), inject: [AmqpConnection] },
        {
          provide: OutboxRelay,
          useFactory: (publisher: ConfirmedPublisher, ds?: DataSource) =>
            options.schema && ds ? new OutboxRelay(ds, options.schema, publisher, log('OutboxRelay'), options.outboxPollMs ?? 250) : null,
          inject: [ConfirmedPublisher, { token: DataSource, optional: true }],
        },
        {
          provide: ProcessedMessagePruner,
          useFactory: (ds?: DataSource) =>
            options.schema && ds
              ? new ProcessedMessagePruner(ds, options.schema, log('ProcessedMessagePruner'), {
                  retentionMs: (options.processedMessageRetentionDays ?? 7) * 86_400_000,
                  intervalMs: options.processedMessagePruneIntervalMs ?? 600_000,
                })
              : null,
          inject: [{ token: DataSource, optional: true }],
        },
        AmqpHealthIndicator,
        MessagingLifecycle,
      ],
      exports: [MESSAGING_OPTIONS, AmqpConnection, ConfirmedPublisher, RpcClient, OutboxRelay, ProcessedMessagePruner, AmqpHealthIndicator],
    };
  }
}
