import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy between an app and a dependency (the broker, the database) that a test controls:
 * it can add latency to every chunk in both directions and reset every open connection, as a
 * flaky network or a failing load balancer would.
 */
export class TcpProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private latencyMs = 0;
  /** Connections accepted so far (a reconnect shows up as a new one). */
  accepted = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    server.on('connection', (client: Socket) => proxy.accept(client, targetHost, targetPort));
    return proxy;
  }

  /** Rewrites a URL (amqp://…, postgres://…) to go through this proxy. */
  urlFor(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Resets (RST) every connection open now; new connections are accepted as before. */
  resetAll(): number {
    const n = this.pairs.size;
    for (const [a, b] of this.pairs) {
      a.resetAndDestroy();
      b.resetAndDestroy();
    }
    this.pairs.clear();
    return n;
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  private accept(client: Socket, host: string, port: number): void {
    this.accepted++;
    const upstream = createConnection({ host, port });
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const close = () => {
      this.pairs.delete(pair);
      if (client.destroyed && upstream.destroyed) return;
      client.destroy();
      upstream.destroy();
    };
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      from.setNoDelay(true);
      // Each chunk is delayed by the latency from its arrival, never reordered.
      const queue: Array<{ due: number; chunk: Buffer }> = [];
      let timer: NodeJS.Timeout | undefined;
      const drain = () => {
        timer = undefined;
        while (queue.length && queue[0].due <= Date.now()) {
          const { chunk } = queue.shift() as { chunk: Buffer };
          if (!to.destroyed) to.write(chunk);
        }
        if (queue.length) timer = setTimeout(drain, queue[0].due - Date.now());
      };
      from.on('data', (chunk: Buffer) => {
        if (this.latencyMs <= 0 && !queue.length) {
          if (!to.destroyed) to.write(chunk);
          return;
        }
        queue.push({ due: Date.now() + this.latencyMs, chunk });
        timer ??= setTimeout(drain, this.latencyMs);
      });
      from.on('error', close);
      from.on('close', close);
    }
  }

  async stop(): Promise<void> {
    this.resetAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
