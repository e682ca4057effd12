import { applyDecorators, Controller, INestApplication, INestApplicationContext, Type, UseFilters } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { DataSource } from 'typeorm';
import { topicMatches } from '@asyncops/contracts';
import { AmqpConnection } from '../amqp/connection';
import { ConfirmedPublisher } from '../amqp/publisher';
import { QueueBinding } from '../amqp/topology';
import { OutboxRelay } from '../outbox/outbox';
import { AmqpTransport, BatchEventHandler, ConsumerDefinition, RethrowRpcExceptionFilter } from './amqp-transport';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.module';

/** A batch handler that also says how large its batches get and how long one waits to fill. */
export interface BatchingEventHandler extends BatchEventHandler {
  readonly batching: { maxMessages: number; maxWaitMs: number };
}

/** The queue a controller's @EventPattern / @MessagePattern handlers are fed from. */
export interface ConsumerSpec {
  /** Queue name without the deployment prefix, e.g. `tracker.events`. */
  queue: string;
  bindings: QueueBinding[];
  /** A queue of request/reply calls only (see QueueSpec.requests). */
  requests?: boolean;
  /** A queue of read-only request/reply calls, on a classic queue (see QueueSpec.reads); implies `requests`. */
  reads?: boolean;
  /** Request/reply calls that change something, on a classic queue (see QueueSpec.classic); implies `requests`. */
  classic?: boolean;
  /** The older queue of the same bindings this one replaced: unbound, drained, then deleted (see QueueSpec.replaces). */
  replaces?: string;
  /** Deliveries handled at once; by default the service's CONSUMER_CONCURRENCY. */
  concurrency?: number;
  /** A provider applying the queue's events in micro-batches (services with tables only). */
  batch?: Type<BatchingEventHandler>;
  /**
   * The queue is partitioned by a header through a consistent-hash exchange, each replica taking a
   * disjoint share of the partitions (services with tables only; see QueueSpec.partitions).
   */
  partitions?: { count: number; hashHeader: string };
}

const CONSUMES_METADATA = 'asyncops:consumes';

/**
 * Declares, on the controller that handles them, the queue its messages arrive on. Controllers
 * sharing a queue declare the same spec; the service's consumers are discovered at start-up.
 */
export function Consumes(spec: ConsumerSpec): ClassDecorator {
  return (target) => {
    const specs: ConsumerSpec[] = Reflect.getMetadata(CONSUMES_METADATA, target) ?? [];
    Reflect.defineMetadata(CONSUMES_METADATA, [...specs, spec], target);
  };
}

/**
 * A controller of message handlers fed from the given queue. Its handlers' errors reach the
 * transport unchanged, which answers, retries or dead-letters them.
 */
export function MessageController(spec: ConsumerSpec): ClassDecorator {
  return applyDecorators(Controller(), Consumes(spec), UseFilters(RethrowRpcExceptionFilter));
}

export function consumerSpecsOf(controller: Type): ConsumerSpec[] {
  return Reflect.getMetadata(CONSUMES_METADATA, controller) ?? [];
}

/**
 * The consumers the controllers declare, one per queue in the order first declared. Fails when
 * controllers declare one queue differently, or when a handler's routing key reaches none of its
 * controller's queues: such a handler would silently never run.
 */
export function consumersOf(controllers: Type[], defaults: { concurrency: number }, resolve: <T>(type: Type<T>) => T): ConsumerDefinition[] {
  const byQueue = new Map<string, { spec: ConsumerSpec; bindings: QueueBinding[]; declaredBy: string }>();
  for (const controller of controllers) {
    const specs = consumerSpecsOf(controller);
    for (const key of handledRoutingKeys(controller)) {
      if (!specs.length) throw new Error(`${controller.name} handles ${key} but declares no queue (@Consumes)`);
      if (!specs.some((s) => s.bindings.some((b) => topicMatches(b.pattern, key)))) {
        throw new Error(`${controller.name} handles ${key}, which no binding of its queues routes to`);
      }
    }
    for (const spec of specs) {
      const seen = byQueue.get(spec.queue);
      if (!seen) {
        byQueue.set(spec.queue, { spec, bindings: [...spec.bindings], declaredBy: controller.name });
        continue;
      }
      if (seen.spec.requests !== spec.requests || seen.spec.reads !== spec.reads || seen.spec.classic !== spec.classic || seen.spec.replaces !== spec.replaces || seen.spec.concurrency !== spec.concurrency || seen.spec.batch !== spec.batch || JSON.stringify(seen.spec.partitions) !== JSON.stringify(spec.partitions)) {
        throw new Error(`queue ${spec.queue} is declared differently by ${seen.declaredBy} and ${controller.name}`);
      }
      for (const b of spec.bindings) {
        if (!seen.bindings.some((x) => x.exchange === b.exchange && x.pattern === b.pattern)) seen.bindings.push(b);
      }
    }
  }
  return [...byQueue.values()].map(({ spec, bindings }) => {
    const queue = {
      name: spec.queue,
      bindings,
      ...(spec.requests || spec.reads || spec.classic ? { requests: true } : {}),
      ...(spec.reads ? { reads: true } : {}),
      ...(spec.classic ? { classic: true } : {}),
      ...(spec.replaces ? { replaces: spec.replaces } : {}),
      ...(spec.partitions ? { partitions: spec.partitions } : {}),
    };
    if (!spec.batch) return { queue, concurrency: spec.concurrency ?? defaults.concurrency };
    const handler = resolve(spec.batch);
    const { maxMessages, maxWaitMs } = handler.batching;
    // The prefetch window holds the next batch while one is being applied.
    const concurrency = spec.concurrency ?? Math.max(defaults.concurrency, 2 * maxMessages);
    return { queue, concurrency, batch: { maxMessages, maxWaitMs, handler } };
  });
}

/** The consumers declared by every controller of the app (DiscoveryModule must be imported). */
export function discoverConsumers(app: INestApplicationContext, defaults: { concurrency: number }): ConsumerDefinition[] {
  const controllers = app
    .get(DiscoveryService)
    .getControllers()
    .map((w) => w.metatype)
    .filter((t): t is Type => typeof t === 'function');
  return consumersOf(controllers, defaults, (type) => app.get(type));
}

/**
 * Starts the AMQP transport over the queues the app's controllers declare with @Consumes, with
 * the messaging module's schema (deduplicating transactions, outbox) when the service has one.
 */
export async function connectAmqpConsumers(app: INestApplication, config: { CONSUMER_CONCURRENCY: number; PARTITION_LEASE_MS?: number }): Promise<void> {
  const options = app.get<MessagingModuleOptions>(MESSAGING_OPTIONS);
  const consumers = discoverConsumers(app, { concurrency: config.CONSUMER_CONCURRENCY });
  const transport = new AmqpTransport({
    connection: app.get(AmqpConnection),
    publisher: app.get(ConfirmedPublisher),
    log: options.logger.child('AmqpTransport'),
    persistence: options.schema ? { dataSource: app.get(DataSource), schema: options.schema, relay: app.get(OutboxRelay) } : undefined,
    consumers,
    partitionLeaseMs: config.PARTITION_LEASE_MS,
  });
  app.connectMicroservice({ strategy: transport });
  await app.startAllMicroservices();
}

function handledRoutingKeys(controller: Type): string[] {
  const proto = controller.prototype as Record<string, unknown>;
  return new MetadataScanner()
    .getAllMethodNames(proto)
    .flatMap((name) => (Reflect.getMetadata(PATTERN_METADATA, proto[name] as object) as unknown[] | undefined) ?? [])
    .filter((p): p is string => typeof p === 'string');
}
