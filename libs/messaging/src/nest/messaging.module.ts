import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HealthIndicator, JsonLogger } from '@asyncops/platform';
import { AmqpConnection } from '../amqp/connection';
import { ConfirmedPublisher } from '../amqp/publisher';
import { Topology } from '../amqp/topology';
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
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

@Injectable()
export class AmqpHealthIndicator implements HealthIndicator {
  readonly name = 'broker';
  constructor(private readonly connection: AmqpConnection) {}
  async check(): Promise<void> {
    if (!this.connection.isConnected()) throw new Error('not connected to RabbitMQ');
    const blocked = this.connection.blocked;
    if (blocked !== undefined) throw new Error(`RabbitMQ is blocking publishers (${blocked})`);
  }
}

/** Connects on start-up, relays the outbox, and closes last so in-flight work can finish. */
@Injectable()
class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly connection: AmqpConnection,
    private readonly rpc: RpcClient,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay | null,
  ) {}
  async onModuleInit(): Promise<void> {
    await this.connection.start();
    this.relay?.start();
  }
  async onApplicationShutdown(): Promise<void> {
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
        AmqpHealthIndicator,
        MessagingLifecycle,
      ],
      exports: [MESSAGING_OPTIONS, AmqpConnection, ConfirmedPublisher, RpcClient, OutboxRelay, AmqpHealthIndicator],
    };
  }
}
