import 'reflect-metadata';
import { Controller, Injectable, INestApplicationContext, Module, Type } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { ExchangeRole } from '@asyncops/contracts';
import type { BatchEvent } from './amqp-transport';
import { BatchingEventHandler, Consumes, ConsumerSpec, consumersOf, discoverConsumers } from './consumes';

const RPC: ConsumerSpec = { queue: 'shop.rpc', bindings: [{ exchange: ExchangeRole.Commands, pattern: 'shop.rpc.*' }], requests: true };

@Controller()
@Consumes(RPC)
class CartsController {
  @MessagePattern('shop.rpc.get-cart')
  getCart(): string {
    return 'getCart';
  }
}

@Controller()
@Consumes(RPC)
class OrdersController {
  @MessagePattern('shop.rpc.get-order')
  getOrder(): string {
    return 'getOrder';
  }
}

@Controller()
@Consumes(RPC)
@Consumes({ queue: 'shop.reads', bindings: [{ exchange: ExchangeRole.Commands, pattern: 'shop.read.*' }], reads: true })
class SearchController {
  @MessagePattern('shop.read.search')
  search(): string {
    return 'search';
  }
}

@Controller()
@Consumes({ queue: 'shop.cancellations', bindings: [{ exchange: ExchangeRole.Events, pattern: 'tracker.operation.cancel-requested' }], concurrency: 4 })
class CancelController {
  @EventPattern('tracker.operation.cancel-requested')
  cancel(): string {
    return 'cancel';
  }
}

@Injectable()
class EventBatch implements BatchingEventHandler {
  readonly batching = { maxMessages: 50, maxWaitMs: 3 };
  accepts(): boolean {
    return true;
  }
  async handleBatch(events: BatchEvent[]): Promise<void> {
    if (!events.length) throw new Error('an empty batch');
  }
}

@Controller()
@Consumes({ queue: 'shop.events', bindings: [{ exchange: ExchangeRole.Events, pattern: 'operation.*' }], batch: EventBatch })
class EventsController {
  @EventPattern('operation.finished')
  finished(): string {
    return 'finished';
  }
}

/** Handles a key but says nothing of where it comes from. */
@Controller()
class UndeclaredController {
  @MessagePattern('shop.rpc.get-price')
  getPrice(): string {
    return 'getPrice';
  }
}

@Controller()
@Consumes(RPC)
class MisroutedController {
  @EventPattern('shop.cmd.place-batch')
  placeBatch(): string {
    return 'placeBatch';
  }
}

async function appWith(controllers: Type[], providers: Type[] = []): Promise<INestApplicationContext> {
  @Module({ imports: [DiscoveryModule], controllers, providers })
  class ShopModule {}
  return NestFactory.createApplicationContext(ShopModule, { logger: false });
}

const noProviders = <T>(type: Type<T>): T => {
  throw new Error(`unexpected lookup of ${type.name}`);
};

describe('consumer discovery', () => {
  it("finds every controller's queue once, with its bindings, concurrency and batch handler", async () => {
    const app = await appWith([CartsController, CancelController, OrdersController, EventsController], [EventBatch]);
    try {
      const consumers = discoverConsumers(app, { concurrency: 16 });
      expect(consumers.map((c) => ({ ...c, batch: c.batch && { ...c.batch, handler: c.batch.handler.constructor } }))).toEqual([
        { queue: { name: 'shop.rpc', bindings: RPC.bindings, requests: true }, concurrency: 16 },
        { queue: { name: 'shop.cancellations', bindings: [{ exchange: ExchangeRole.Events, pattern: 'tracker.operation.cancel-requested' }] }, concurrency: 4 },
        // The prefetch window holds the next batch while one is being applied.
        { queue: { name: 'shop.events', bindings: [{ exchange: ExchangeRole.Events, pattern: 'operation.*' }] }, concurrency: 100, batch: { maxMessages: 50, maxWaitMs: 3, handler: EventBatch } },
      ]);
      expect(consumers[2].batch?.handler).toBe(app.get(EventBatch));
    } finally {
      await app.close();
    }
  });

  it('declares a queue of reads as a request queue on a classic queue', () => {
    expect(consumersOf([CartsController, SearchController], { concurrency: 16 }, noProviders)).toEqual([
      { queue: { name: 'shop.rpc', bindings: RPC.bindings, requests: true }, concurrency: 16 },
      { queue: { name: 'shop.reads', bindings: [{ exchange: ExchangeRole.Commands, pattern: 'shop.read.*' }], requests: true, reads: true }, concurrency: 16 },
    ]);
  });

  it('declares a classic queue of changing requests, with the queue it replaced', () => {
    const spec = { queue: 'shop.requests', bindings: RPC.bindings, classic: true, replaces: 'shop.rpc' };
    @Controller()
    @Consumes(spec)
    class ClassicCartsController {
      @MessagePattern('shop.rpc.place-cart')
      place(): string {
        return 'placed';
      }
    }
    expect(consumersOf([ClassicCartsController], { concurrency: 16 }, noProviders)).toEqual([
      { queue: { name: 'shop.requests', bindings: RPC.bindings, requests: true, classic: true, replaces: 'shop.rpc' }, concurrency: 16 },
    ]);
  });

  it("keeps the service's concurrency for a batching queue when it is the larger", () => {
    const [events] = consumersOf([EventsController], { concurrency: 200 }, <T>() => new EventBatch() as T);
    expect(events.concurrency).toBe(200);
  });

  it('refuses a controller that handles messages but declares no queue', () => {
    expect(() => consumersOf([CartsController, UndeclaredController], { concurrency: 16 }, noProviders)).toThrow(
      'UndeclaredController handles shop.rpc.get-price but declares no queue (@Consumes)',
    );
  });

  it("refuses a handler whose routing key none of its controller's bindings routes", () => {
    expect(() => consumersOf([MisroutedController], { concurrency: 16 }, noProviders)).toThrow('MisroutedController handles shop.cmd.place-batch, which no binding of its queues routes to');
  });

  it('refuses one queue declared with different settings', () => {
    @Consumes({ ...RPC, concurrency: 2 })
    class OtherCartsController {}
    expect(() => consumersOf([CartsController, OtherCartsController], { concurrency: 16 }, noProviders)).toThrow(
      'queue shop.rpc is declared differently by CartsController and OtherCartsController',
    );
  });

  it('joins the bindings controllers of one queue declare', () => {
    @Consumes({ ...RPC, bindings: [{ exchange: ExchangeRole.Commands, pattern: 'shop.rpc.#' }] })
    class WideController {}
    const [rpc] = consumersOf([CartsController, WideController, OrdersController], { concurrency: 16 }, noProviders);
    expect(rpc.queue.bindings.map((b) => b.pattern)).toEqual(['shop.rpc.*', 'shop.rpc.#']);
  });
});
