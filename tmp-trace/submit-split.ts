import { startStack } from '@asyncops/testing';
import { BenchHttp } from '../tools/bench/harness';
(async () => {
  const stack = await startStack('bench_submit', { apps: ['tracker', 'order-placement', 'gateway'], env: { OUTBOX_POLL_MS: '250', LOG_LEVEL: 'debug' }, appEnv: { gateway: { RATE_LIMIT_DEFAULT: '1000000/1s' } } });
  const token = await stack.token(); const http = new BenchHttp(1);
  const call = async <T>(m: string, p: string, b?: unknown) => { const r = await http.json<T>(m, `${stack.gateway.url}${p}`, { authorization: `Bearer ${token}` }, b); if (r.status >= 300) throw new Error(r.text); return r.body; };
  await call('POST', '/api/v1/products', { products: [{ sku: 'S-1', name: 'Single', unitPrice: '10.0000' }] });
  const post: number[] = [], get: number[] = [], gets: number[] = [], items: number[] = [];
  for (let i = 0; i < 120; i++) {
    const { id } = await call<{ id: string }>('POST', '/api/v1/carts', { currency: 'USD' });
    const t = performance.now();
    await call('POST', `/api/v1/carts/${id}/items`, { items: [{ sku: 'S-1', kind: 'major', quantity: 1 }] });
    items.push(performance.now() - t);
    const t0 = performance.now();
    const { operationId } = await call<{ operationId: string; status?: string }>('POST', `/api/v1/carts/${id}/place`, {});
    const t1 = performance.now(); let n = 0;
    for (;;) { n++; const op = await call<{ status: string }>('GET', `/api/v1/operations/${operationId}?wait=30`); if (op.status === 'Completed') break; }
    const t2 = performance.now(); if (i >= 20) { post.push(t1 - t0); get.push(t2 - t1); gets.push(n); }
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)].toFixed(2);
  console.log(`POST place p50 ${med(post)} ms, GET wait p50 ${med(get)} ms, gets p50 ${med(gets)}, add-items p50 ${med(items)}`);
  const stats = new Map<string, number[]>();
  for (const app of ['tracker', 'order-placement', 'gateway'] as const) for (const l of stack.app(app).logs as Array<Record<string, unknown>>) if (typeof l.durationMs === 'number') { const k = `${app} ${l.event} ${l.routingKey ?? l.queue ?? ''}`; (stats.get(k) ?? stats.set(k, []).get(k)!).push(l.durationMs as number); }
  for (const [k, v] of stats) console.log(k, 'n', v.length, 'p50', med(v));
  http.close(); await stack.stop();
})().catch((e) => { console.error(e); process.exit(1); });
