import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { ServiceProcess, Stack, startStack, TEST_AMQP_URL, uniquePrefix } from '@asyncops/testing';
import { BenchHttp, Measurement, Scenario } from '../harness';

const PLACEMENTS = Number(process.env.BENCH_SUBMIT_PLACEMENTS ?? 50);

/**
 * Latency of one small piece of work end to end, as a client sees it: a one-item cart is placed
 * (`POST /api/v1/carts/{id}/place`) and followed with `GET /api/v1/operations/{id}?wait=30`
 * until it reads Completed; sequential, BENCH_SUBMIT_PLACEMENTS (50) per round, each timed from
 * the POST to the Completed answer, by one client on one kept-alive connection (BenchHttp, not
 * `fetch`: see there). Filling the carts is set-up, not timed. The baseline is the
 * floor of any broker-mediated request: a raw RabbitMQ request/reply round trip (publish to a
 * queue, a consumer answers on direct reply-to). Units are placements (round trips); the harness
 * reports p50 and p99 of both.
 */
export function submitLatencyScenario(): Scenario {
  let stack: Stack;
  let gateway: ServiceProcess;
  let token: string;
  let conn: amqp.ChannelModel;
  let requester: amqp.Channel;
  let responder: amqp.Channel;
  const rawQueue = `${uniquePrefix('bench-submit')}.bench-rpc`;

  // One kept-alive connection, as a client placing carts one after another holds (see BenchHttp).
  const http = new BenchHttp(1);
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await http.json<T>(method, `${gateway.url}${path}`, { authorization: `Bearer ${token}` }, body);
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${res.text}`);
    return res.body;
  };

  async function oneItemCart(): Promise<string> {
    const { id } = await call<{ id: string }>('POST', '/api/v1/carts', { currency: 'USD' });
    await call('POST', `/api/v1/carts/${id}/items`, { items: [{ sku: 'S-1', kind: 'major', quantity: 1 }] });
    return id;
  }

  return {
    name: 'submit-latency',
    unit: 'placements',
    async setup() {
      // The default outbox poll: the relay is kicked on commit, the poll only catches what a kick missed.
      stack = await startStack('bench_submit', { apps: ['tracker', 'order-placement', 'gateway'], env: { OUTBOX_POLL_MS: '250' }, appEnv: { gateway: { RATE_LIMIT_DEFAULT: '1000000/1s' } } });
      ({ gateway } = stack);
      token = await stack.token();
      await call('POST', '/api/v1/products', { products: [{ sku: 'S-1', name: 'Single', unitPrice: '10.0000' }] });

      // No Nagle delay, as the product connects: otherwise each small reply waits ~40 ms for an ACK.
      conn = await amqp.connect(TEST_AMQP_URL, { noDelay: true });
      responder = await conn.createChannel();
      await responder.assertQueue(rawQueue, { exclusive: true, autoDelete: true });
      await responder.consume(rawQueue, (m) => {
        if (!m) return;
        responder.sendToQueue(m.properties.replyTo as string, m.content, { correlationId: m.properties.correlationId as string });
        responder.ack(m);
      });
      requester = await conn.createChannel();
    },
    async system(round: number): Promise<Measurement> {
      const n = round < 0 ? 5 : PLACEMENTS;
      const carts: string[] = [];
      for (let i = 0; i < n; i++) carts.push(await oneItemCart());
      const latenciesMs: number[] = [];
      for (const cartId of carts) {
        const start = performance.now();
        const { operationId } = await call<{ operationId: string }>('POST', `/api/v1/carts/${cartId}/place`, {});
        for (;;) {
          const op = await call<{ status: string; message: string | null }>('GET', `/api/v1/operations/${operationId}?wait=30`);
          if (op.status === 'Failure') throw new Error(`placement failed: ${op.message}`);
          if (op.status === 'Completed') break;
        }
        latenciesMs.push(performance.now() - start);
      }
      return { units: n, ms: latenciesMs.reduce((a, b) => a + b, 0), latenciesMs };
    },
    async baseline(round: number): Promise<Measurement> {
      const n = round < 0 ? 5 : PLACEMENTS;
      const latenciesMs: number[] = [];
      const replies = new Map<string, () => void>();
      const { consumerTag } = await requester.consume(
        'amq.rabbitmq.reply-to',
        (m) => {
          if (m) replies.get(m.properties.correlationId as string)?.();
        },
        { noAck: true },
      );
      try {
        for (let i = 0; i < n; i++) {
          const id = randomUUID();
          const start = performance.now();
          await new Promise<void>((resolve) => {
            replies.set(id, resolve);
            requester.sendToQueue(rawQueue, Buffer.from(JSON.stringify({ id })), { correlationId: id, replyTo: 'amq.rabbitmq.reply-to' });
          });
          replies.delete(id);
          latenciesMs.push(performance.now() - start);
        }
      } finally {
        await requester.cancel(consumerTag);
      }
      return { units: n, ms: latenciesMs.reduce((a, b) => a + b, 0), latenciesMs };
    },
    async teardown() {
      http.close();
      await conn?.close().catch(() => undefined);
      await stack?.stop();
    },
  };
}
