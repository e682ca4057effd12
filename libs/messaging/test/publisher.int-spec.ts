import { readFileSync } from 'node:fs';
import { ExchangeRole } from '@asyncops/contracts';
import { waitFor } from '@asyncops/testing';
import { MessagingEnv, messagingEnv } from './support';

/** Write system calls this process has made so far (Linux). */
const writeSyscalls = (): number => Number(/^syscw: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);

/** The confirmed publisher against the real broker. */
describe('ConfirmedPublisher (real broker)', () => {
  let env: MessagingEnv;

  beforeAll(async () => {
    env = await messagingEnv('publisher');
  });

  afterAll(async () => {
    await env?.teardown(['publisher-probe']);
  });

  it('sends a batch of small messages in a few socket writes, each message confirmed and delivered whole and in order', async () => {
    const received = await env.probe('publisher-probe', ExchangeRole.Events, 'publisher.batch');
    const publisher = env.publisher(await env.connect('batch'), 'batch');
    await publisher.publish({ exchange: ExchangeRole.Events, routingKey: 'publisher.batch', body: { n: -1 } });
    const count = 2000;
    const before = writeSyscalls();
    await publisher.publishMany(Array.from({ length: count }, (_, n) => ({ exchange: ExchangeRole.Events, routingKey: 'publisher.batch', body: { n, text: 'x'.repeat(n % 300) } })));
    const writes = writeSyscalls() - before;
    // One write per message before frames were coalesced; the socket's high-water mark (16 KiB) bounds each write.
    expect(writes).toBeLessThan(count / 10);
    await waitFor('every message', async () => received.length === count + 1);
    expect(received.slice(1).map((m) => JSON.parse(m.content.toString('utf8')) as { n: number; text: string })).toEqual(Array.from({ length: count }, (_, n) => ({ n, text: 'x'.repeat(n % 300) })));
  });
});
