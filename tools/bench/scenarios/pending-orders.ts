import { gzipSync } from 'node:zlib';
import { ServiceProcess, Stack, startStack, TestDatabase, waitFor } from '@asyncops/testing';
import { Measurement, Scenario } from '../harness';

const ORDERS = Number(process.env.BENCH_PENDING_ORDERS ?? 10_000);
const LINES = 10;
const PER_REQUEST = 5000;

/**
 * Seed 002's high-scale ingestion through the real stack: BENCH_PENDING_ORDERS 10-line orders
 * (default 10,000; half JSON_GZIP) posted to the bulk route and timed until every one is an
 * OrderSummary with its items and its pending record is gone. Units are orders; the ingest-only
 * rate is logged beside it. The baseline writes the same rows — the pending records, then the
 * summaries and their items — with raw multi-row INSERTs in one transaction into tables of the
 * same shape and indexes, with no validation, messaging or conversion logic.
 */
export function pendingOrdersScenario(): Scenario {
  let db: TestDatabase;
  let stack: Stack;
  let gateway: ServiceProcess;
  let token: string;
  let run = 0;

  const orders = (tag: string) =>
    Array.from({ length: ORDERS }, (_, i) => {
      const json = JSON.stringify({ orderItems: Array.from({ length: LINES }, (_x, l) => ({ sku: `SKU-${l}`, quantity: 1 + (l % 3), unitPrice: `${l + 1}.50` })) });
      const gzip = i % 2 === 1;
      return {
        ExternalReferenceIdentifier: `${tag}@site@${i}`,
        OrderNumber: String(i),
        OrderedDate: '2026-11-24T10:00:00Z',
        ShopperName: `Shopper ${i % 1000}`,
        BillingEmailAddress: `shopper${i % 1000}@example.com`,
        GrandTotalAmount: '100.00',
        PayloadType: gzip ? 'JSON_GZIP' : 'JSON_RAW',
        Payload: gzip ? gzipSync(json).toString('base64') : json,
      };
    });

  return {
    name: 'pending-orders',
    unit: 'orders',
    async setup() {
      stack = await startStack('bench_pending', { apps: ['order-placement', 'gateway'], env: { OUTBOX_POLL_MS: '50' } });
      ({ db, gateway } = stack);
      token = await stack.token();
      for (const t of ['pending_order_summary', 'order_summary', 'order_item_summary']) {
        await db.query(`CREATE TABLE public.bench_${t} (LIKE order_placement.${t} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
      }
    },
    async system(): Promise<Measurement> {
      const tag = `sys${run++}`;
      const body = orders(tag);
      const start = performance.now();
      for (let i = 0; i < body.length; i += PER_REQUEST) {
        const res = await fetch(`${gateway.url}/api/v1/pending-orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body.slice(i, i + PER_REQUEST)),
        });
        const out = (await res.json()) as { hasErrors: boolean };
        if (res.status !== 200 || out.hasErrors) throw new Error(`bulk ingest answered ${res.status}`);
      }
      const ingestedMs = performance.now() - start;
      await waitFor(
        'every order converted',
        async () => {
          const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM order_placement.pending_order_summary WHERE external_reference_identifier LIKE $1`, [`${tag}@%`]);
          return n === 0;
        },
        600_000,
        50,
      );
      const ms = performance.now() - start;
      process.stdout.write(`    ingested ${((ORDERS / ingestedMs) * 1000).toFixed(0)} orders/s, ingested+converted ${((ORDERS / ms) * 1000).toFixed(0)} orders/s\n`);
      return { units: ORDERS, ms };
    },
    async baseline(): Promise<Measurement> {
      const tag = `base${run++}`;
      const body = orders(tag);
      const start = performance.now();
      await db.query('BEGIN');
      const pending = await db.query<{ number: string }>(
        `INSERT INTO public.bench_pending_order_summary ("owner_id", "external_reference_identifier", "order_number", "ordered_date", "shopper_name", "billing_email_address", "grand_total_amount", "payload", "payload_type")
         SELECT 'bench', * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::numeric[], $7::text[], $8::text[]) RETURNING "number"`,
        [body.map((o) => o.ExternalReferenceIdentifier), body.map((o) => o.OrderNumber), body.map((o) => o.OrderedDate), body.map((o) => o.ShopperName), body.map((o) => o.BillingEmailAddress), body.map((o) => o.GrandTotalAmount), body.map((o) => o.Payload), body.map((o) => o.PayloadType)],
      );
      const summaries = await db.query<{ number: string }>(
        `INSERT INTO public.bench_order_summary ("owner_id", "external_reference_identifier", "order_number", "ordered_date", "account_number", "bill_to_contact_number", "currency_iso_code", "grand_total_amount", "total_product_amount", "pending_order_summary_number")
         SELECT 'bench', * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[], $5::bigint[], $6::text[], $7::numeric[], $8::numeric[], $9::bigint[]) RETURNING "number"`,
        [body.map((o) => o.ExternalReferenceIdentifier), body.map((o) => o.OrderNumber), body.map((o) => o.OrderedDate), body.map(() => 1), body.map(() => 1), body.map(() => 'USD'), body.map(() => '100.00'), body.map(() => '100.00'), pending.map((p) => p.number)],
      );
      const items = summaries.flatMap((s) => Array.from({ length: LINES }, (_, l) => [s.number, l + 1, `SKU-${l}`, String(1 + (l % 3)), `${l + 1}.50`, `${(1 + (l % 3)) * (l + 1.5)}`]));
      await db.query(
        `INSERT INTO public.bench_order_item_summary ("order_summary_number", "line", "sku", "quantity", "unit_price", "total_price")
         SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::numeric[], $5::numeric[], $6::numeric[])`,
        [0, 1, 2, 3, 4, 5].map((k) => items.map((r) => r[k])),
      );
      await db.query('COMMIT');
      return { units: ORDERS, ms: performance.now() - start };
    },
    async teardown() {
      await stack?.stop();
    },
  };
}
