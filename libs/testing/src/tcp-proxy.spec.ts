import { createConnection, createServer, Server, Socket } from 'node:net';
import { TcpProxy } from './tcp-proxy';

describe('TcpProxy', () => {
  let echo: Server;
  let proxy: TcpProxy;

  beforeEach(async () => {
    echo = createServer((s) => s.on('error', () => undefined).pipe(s));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
    proxy = await TcpProxy.start('127.0.0.1', (echo.address() as { port: number }).port);
  });

  afterEach(async () => {
    await proxy.stop();
    await new Promise((resolve) => echo.close(resolve));
  });

  const connect = () =>
    new Promise<Socket>((resolve, reject) => {
      const s = createConnection({ host: '127.0.0.1', port: proxy.port }, () => {
        s.off('error', reject);
        s.on('error', () => undefined);
        resolve(s);
      });
      s.once('error', reject);
    });
  const roundTrip = (s: Socket, text: string) =>
    new Promise<string>((resolve) => {
      s.once('data', (d) => resolve(d.toString()));
      s.write(text);
    });

  it('forwards both ways, and rewrites a URL to go through it', async () => {
    const s = await connect();
    expect(await roundTrip(s, 'ping')).toBe('ping');
    expect(proxy.accepted).toBe(1);
    expect(proxy.urlFor('amqp://u:p@broker:5672/vh')).toBe(`amqp://u:p@127.0.0.1:${proxy.port}/vh`);
    s.destroy();
  });

  it('delays each direction by the latency, in order', async () => {
    const s = await connect();
    proxy.setLatency(100);
    const started = Date.now();
    expect(await roundTrip(s, 'slow')).toBe('slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    s.destroy();
  });

  it('resets every open connection; new ones are accepted', async () => {
    const s = await connect();
    const closed = new Promise<string>((resolve) => s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? '')));
    expect(proxy.resetAll()).toBe(1);
    expect(await closed).toBe('ECONNRESET');
    const again = await connect();
    expect(await roundTrip(again, 'back')).toBe('back');
    again.destroy();
  });
});
