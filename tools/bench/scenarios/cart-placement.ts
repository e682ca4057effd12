import { randomUUID } from 'node:crypto';
import { ServiceProcess, Stack, startStack, TestDatabase, waitFor } from '@asyncops/testing';
import { Measurement, Scenario } from '../harness';

const MAJOR_ITEMS = Number(process.env.BENCH_CART_ITEMS ?? 10_000);
const MINORS_PER_MAJOR = 2;
const ORDER_ITEMS = MAJOR_ITEMS * (1 + MINORS_PER_MAJOR);

interface CartItemRow {
  id: string;
  kind: string;
  parent_id: string | null;
  product_id: string;
  sku: string;
  position: number;
  sub_position: number;
  quantity: number;
  unit_price: string;
}

/**
 * Seed 004's placeAsync through the real stack: a cart of BENCH_CART_ITEMS major items (default
 * 10,000) with two minor items each is placed through the gateway and timed from the POST to the
 * tracker's Completed (batches of 200, each its own message and transaction, tracker events,
 * final steps). Units are order item rows. The baseline writes the same rows with raw multi-row
 * INSERTs in one transaction into a table of the same shape and indexes. Filling the cart is
 * set-up, not measured.
 */
export function cartPlacementScenario(): Scenario {
  let db: TestDatabase;
  let stack: Stack;
  let gateway: ServiceProcess;
  let token: string;
  let lastCart: CartItemRow[] = [];

  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };

  async function fullCart(): Promise<string> {
    const { id } = await post<{ id: string }>('/api/v1/carts', { currency: 'USD' });
    const items = Array.from({ length: MAJOR_ITEMS }, () => ({
      sku: 'B-MAJ',
      quantity: 1,
      minorItems: [
        { sku: 'B-MIN-A', quantity: 1 },
        { sku: 'B-MIN-B', quantity: 2 },
      ],
    }));
    await post(`/api/v1/carts/${id}/items`, { items });
    return id;
  }

  return {
    name: 'cart-placement',
    unit: 'order-items',
    async setup() {
      // No AUTH_CLIENTS outside production: the gateway's development client.
      stack = await startStack('bench_cart', { apps: ['tracker', 'order-placement', 'gateway'], env: { OUTBOX_POLL_MS: '100' } });
      ({ db, gateway } = stack);
      token = await stack.token();
      await post('/api/v1/products', {
        products: [
          { sku: 'B-MAJ', name: 'Major', unitPrice: '100.0000' },
          { sku: 'B-MIN-A', name: 'Minor A', unitPrice: '2.5000' },
          { sku: 'B-MIN-B', name: 'Minor B', unitPrice: '0.9900' },
        ],
      });
      await db.query(
        `CREATE TABLE public.bench_order_item (LIKE order_placement.order_item INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`,
      );
    },
    async system(): Promise<Measurement> {
      const cartId = await fullCart();
      lastCart = await db.query<CartItemRow>(
        `SELECT id, kind, parent_id, product_id, sku, position, sub_position, quantity, unit_price::text FROM order_placement.cart_item WHERE cart_id = $1`,
        [cartId],
      );
      const start = performance.now();
      const { operationId } = await post<{ operationId: string }>(`/api/v1/carts/${cartId}/place`, {});
      await waitFor(
        'placement completed',
        async () => {
          const res = await fetch(`${gateway.url}/api/v1/operations/${operationId}?wait=30`, { headers: { authorization: `Bearer ${token}` } });
          const op = (await res.json()) as { status: string; message: string | null };
          if (op.status === 'Failure') throw new Error(`placement failed: ${op.message}`);
          return op.status === 'Completed';
        },
        600_000,
        20,
      );
      return { units: ORDER_ITEMS, ms: performance.now() - start };
    },
    async baseline(): Promise<Measurement> {
      // The same rows the system wrote for its last cart, as the raw way would write them.
      const orderId = randomUUID();
      const lineIds = new Map(lastCart.map((r) => [r.id, randomUUID()]));
      const rows = lastCart.map((r) => [
        lineIds.get(r.id),
        orderId,
        r.id,
        r.kind,
        r.parent_id ? lineIds.get(r.parent_id) : null,
        r.product_id,
        r.sku,
        r.position,
        r.sub_position,
        r.quantity,
        r.unit_price,
        r.unit_price,
        1,
      ]);
      const perStatement = Math.floor(65_535 / 13);
      const start = performance.now();
      await db.query('BEGIN');
      for (let i = 0; i < rows.length; i += perStatement) {
        const chunk = rows.slice(i, i + perStatement);
        const values = chunk.map((_, j) => `(${Array.from({ length: 13 }, (_x, k) => `$${j * 13 + k + 1}`).join(', ')})`).join(', ');
        await db.query(
          `INSERT INTO public.bench_order_item ("id", "order_id", "cart_item_id", "kind", "parent_order_item_id", "product_id", "sku", "position", "sub_position", "quantity", "unit_price", "line_total", "batch") VALUES ${values}`,
          chunk.flat(),
        );
      }
      await db.query('COMMIT');
      return { units: rows.length, ms: performance.now() - start };
    },
    async teardown() {
      await stack?.stop();
    },
  };
}
