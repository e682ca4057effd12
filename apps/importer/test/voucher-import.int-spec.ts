import { parse } from 'csv-parse/sync';
import { AsyncActionJson, CLIENTS, ImportStack } from './voucherify-sdk-support';

const HEADER = 'Code,Voucher Type,Value,Discount Type,Category,Start Date,Expiration Date,Redemption Limit,Active,Note';
const ROWS = 10_000;
const code = (i: number) => `CODE-${String(i).padStart(5, '0')}`;

interface Expected {
  row: number;
  code: string;
  reason: string;
}

/** 10,000 data rows, 37 of them bad in six different ways; BOM, CRLF and quoted newlines included. */
function voucherFile(): { csv: string; bad: Expected[] } {
  const bad: Expected[] = [];
  const lines = [HEADER];
  const badAt = new Map<number, number>();
  for (let k = 0; k < 37; k++) badAt.set(13 + k * 269, k % 6);
  for (let row = 1; row <= ROWS; row++) {
    const kind = badAt.get(row);
    const note = row % 500 === 0 ? `"line one\nline two, ""quoted"""` : `note ${row}`;
    const good = (c: string, value = '10', type = 'PERCENT', start = '2026-01-01T00:00:00Z') =>
      `${c},DISCOUNT_VOUCHER,${value},${type},spring,${start},2026-12-31T00:00:00Z,5,true,${note}`;
    switch (kind) {
      case 0:
        lines.push(good(code(row), '10', 'BOGUS'));
        bad.push({ row, code: code(row), reason: 'Discount Type must be one of AMOUNT, PERCENT, UNIT' });
        break;
      case 1:
        lines.push(good(''));
        bad.push({ row, code: '', reason: 'Code is required and must be at most 100 characters' });
        break;
      case 2:
        lines.push(good(code(1)));
        bad.push({ row, code: code(1), reason: `Resource voucher with code ${code(1)} already exists` });
        break;
      case 3:
        lines.push(good(code(row), '150'));
        bad.push({ row, code: code(row), reason: 'Value of a PERCENT discount must be between 0 and 100' });
        break;
      case 4:
        lines.push(good(code(row), '10', 'PERCENT', 'not-a-date'));
        bad.push({ row, code: code(row), reason: 'Start Date must be an ISO 8601 date' });
        break;
      case 5:
        lines.push(`${code(row)},DISCOUNT_VOUCHER,10`);
        bad.push({ row, code: '', reason: 'Row has 3 column(s) but the header has 10' });
        break;
      default:
        lines.push(good(code(row)));
    }
  }
  return { csv: `\ufeff${lines.join('\r\n')}\r\n`, bad };
}

describe('Voucherify CSV imports through @voucherify/sdk (gateway + importer + tracker, real broker and database)', () => {
  jest.setTimeout(180_000);
  // Voucher CSVs in COPY batches of 4,000 rows: a code repeated within a batch fails while the batch is read,
  // one repeated from an earlier batch fails in the lookup of existing codes; both must read the same.
  const stack = ImportStack.forSuite('vimport', { IMPORT_COPY_BATCH_SIZE: '4000' });

  it('imports a 10,000-row voucher CSV with 37 bad rows: 9,963 done, each failure with its row and reason, and a report of exactly those rows', async () => {
    const { csv, bad } = voucherFile();
    const sdk = stack.sdk();
    const accepted = (await sdk.vouchers.importCSV(stack.file('vouchers.csv', csv))) as { async_action_id: string };
    expect(accepted.async_action_id).toMatch(/^aa_[0-9a-f]{32}$/);

    // Read-your-writes: the action is there at once.
    const first = (await sdk.asyncActions.get(accepted.async_action_id)) as unknown as AsyncActionJson;
    expect(first).toMatchObject({ id: accepted.async_action_id, type: 'VOUCHERS.IMPORT_CSV', object: 'async_action' });
    expect(['ENQUEUED', 'IN_PROGRESS', 'DONE']).toContain(first.status);

    const done = await stack.finished(accepted.async_action_id);
    expect(done).toMatchObject({ status: 'DONE', operation_status: 'SUCCESS', progress: 100, object: 'async_action', type: 'VOUCHERS.IMPORT_CSV' });
    expect(typeof done.processing_time).toBe('number');
    expect(done.request_id).toEqual(expect.any(String));
    expect(done.result.message).toBe('9963 voucher(s) imported successfully, 37 failed.');
    expect(done.result.done_count).toBe(9963);
    expect(done.result.failed_count).toBe(37);
    expect(done.result.failed).toEqual(bad);

    const [{ n, distinct }] = await stack.db.query<{ n: number; distinct: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT code)::int AS distinct FROM importer.voucher WHERE owner_id = $1`,
      [CLIENTS[0].id],
    );
    expect({ n, distinct }).toEqual({ n: 9963, distinct: 9963 });
    const [withNewline] = await stack.db.query<{ metadata: Record<string, string>; discount_value: string }>(
      `SELECT metadata, discount_value FROM importer.voucher WHERE owner_id = $1 AND code = $2`,
      [CLIENTS[0].id, code(500)],
    );
    expect(withNewline).toEqual({ metadata: { Note: 'line one\nline two, "quoted"' }, discount_value: '10.0000' });

    expect(done.result.reports).toEqual([`${stack.gateway.url}/v1/async-actions/${accepted.async_action_id}/report`]);
    expect(Date.parse(done.result.reports_available_till as string)).toBeGreaterThan(Date.now());
    const report = await stack.fetch(new URL((done.result.reports as string[])[0]).pathname);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parse(await report.text(), { columns: true }) as Array<{ row: string; code: string; reason: string }>;
    expect(rows.map((r) => ({ row: Number(r.row), code: r.code, reason: r.reason }))).toEqual(bad);

    // The same record on the native surface: the uuid inside the aa_ id, with counts in step.
    const native = await stack.fetch(`/api/v1/operations/${accepted.async_action_id.slice(3).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}`);
    expect(native.status).toBe(200);
    expect(await native.json()).toMatchObject({
      jobType: 'VOUCHERS.IMPORT_CSV',
      producer: 'importer',
      status: 'CompletedWithFailures',
      totalJobItems: 10_000,
      successfulJobItems: 9963,
      failedJobItems: 37,
      progress: 100,
    });

    // What the import wrote, read back natively and paged by code: every good row once, no bad one.
    const imported: Array<{ code: string; category: string | null }> = [];
    let next: string | null = '/api/v1/imported/vouchers?limit=200';
    while (next) {
      const res = await stack.fetch(next);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { data: Array<{ code: string; category: string | null }>; nextCursor: string | null };
      imported.push(...page.data);
      next = page.nextCursor ? `/api/v1/imported/vouchers?limit=200&cursor=${page.nextCursor}` : null;
    }
    expect(imported).toHaveLength(9963);
    expect(new Set(imported.map((v) => v.code)).size).toBe(9963);
    expect(imported.map((v) => v.code)).not.toContain(bad.find((b) => b.code && !b.reason.includes('already exists'))?.code);
    expect(imported.every((v) => !('owner_id' in v))).toBe(true);
    expect(((await (await stack.fetch('/api/v1/imported/vouchers?limit=5', {}, CLIENTS[1])).json()) as { data: unknown[] }).data).toEqual([]);
    expect((await stack.fetch('/api/v1/imported/spaceships')).status).toBe(404);

    // Another client cannot see the action or its report.
    await expect(stack.sdk(CLIENTS[1]).asyncActions.get(accepted.async_action_id)).rejects.toMatchObject({ code: 404, key: 'not_found' });
    expect((await stack.fetch(`/v1/async-actions/${accepted.async_action_id}/report`, {}, CLIENTS[1])).status).toBe(404);
  });

  it('imports customers, products, SKUs and campaign vouchers with per-row failures in each type’s result shape', async () => {
    const sdk = stack.sdk();
    const customers = (await sdk.customers.importCSV(
      stack.file('customers.csv', 'source_id,name,email,phone,birthdate,address_city,tier\ncust-1,Alice,alice@example.com,+48 1,1990-02-03,Warsaw,gold\ncust-2,Bob,not-an-email,,,,\ncust-1,Alice again,a@example.com,,,,\n'),
    )) as { async_action_id: string };
    const c = await stack.finished(customers.async_action_id);
    expect(c).toMatchObject({ type: 'CUSTOMERS.IMPORT_CSV', status: 'DONE' });
    expect(c.result).toMatchObject({
      message: '1 customer(s) imported successfully, 2 failed.',
      done_count: 1,
      failed_count: 2,
      failed: [
        { source_id: 'cust-2', row: 2, reason: 'email must be a valid email address' },
        { source_id: 'cust-1', row: 3, reason: 'Duplicated source_id cust-1 in the file' },
      ],
    });
    const [alice] = await stack.db.query<{ address: unknown; metadata: unknown; birthdate: string }>(
      `SELECT address, metadata, to_char(birthdate, 'YYYY-MM-DD') AS birthdate FROM importer.customer WHERE source_id = 'cust-1'`,
    );
    expect(alice).toEqual({ address: { city: 'Warsaw' }, metadata: { tier: 'gold' }, birthdate: '1990-02-03' });

    const products = (await sdk.products.importCSV(stack.file('products.csv', 'source_id,name,price,attributes\nprod-1,Shirt,2500,"size,color"\nprod-2,Hat,-5,\n'))) as {
      async_action_id: string;
    };
    const p = await stack.finished(products.async_action_id);
    expect(p.result).toMatchObject({
      message: '1 product(s) imported successfully, 1 failed.',
      failed: [{ source_id: 'prod-2', row: 2, reason: 'price must be a non-negative integer amount in cents' }],
    });

    const skus = (await sdk.products.importSkusCSV(stack.file('skus.csv', 'source_id,product_id,sku,price,size\nsku-s,prod-1,Shirt S,2500,small\nsku-x,prod-404,Ghost,1,\n'))) as {
      async_action_id: string;
    };
    const s = await stack.finished(skus.async_action_id);
    expect(s.result).toEqual(
      expect.objectContaining({
        message: '1 sku(s) imported successfully, 1 failed.',
        done_count: 1,
        failed_count: 1,
        failed: [{ row: 2, reason: 'Resource product with id prod-404 not found' }],
      }),
    );

    const campaign = (await sdk.campaigns.importVouchersCSV('summer-sale', stack.file('campaign.csv', 'Code,Value,Discount Type\nSUMMER-1,5,AMOUNT\nSUMMER-2,5,AMOUNT\n'))) as {
      async_action_id: string;
    };
    const cv = await stack.finished(campaign.async_action_id);
    expect(cv).toMatchObject({ type: 'CAMPAIGN.VOUCHERS_IMPORT_CSV', status: 'DONE', result: { message: '2 voucher(s) imported successfully, 0 failed.', failed: [] } });
    const [{ n }] = await stack.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM importer.voucher v JOIN importer.campaign c ON c.id = v.campaign_id WHERE c.name = 'summer-sale'`,
    );
    expect(n).toBe(2);
  });

  it('imports JSON arrays of vouchers, campaign vouchers and orders, failures named by code or source_id', async () => {
    const sdk = stack.sdk();
    const vouchers = (await sdk.vouchers.import([
      { code: 'JSON-1', type: 'DISCOUNT_VOUCHER', discount: { type: 'AMOUNT', amount_off: 1000 }, metadata: { origin: 'json' } },
      { code: 'JSON-2', type: 'GIFT_VOUCHER', gift: { amount: 5000 }, redemption: { quantity: 2 } },
      { code: 'JSON-3', type: 'DISCOUNT_VOUCHER', discount: { type: 'PERCENT', percent_off: 120 } },
      { code: 'JSON-1', type: 'DISCOUNT_VOUCHER', discount: { type: 'UNIT', unit_off: 1 } },
    ] as never)) as { async_action_id: string };
    const v = await stack.finished(vouchers.async_action_id);
    expect(v).toMatchObject({ type: 'VOUCHERS.IMPORT', status: 'DONE' });
    expect(v.result).toEqual(
      expect.objectContaining({
        message: '2 voucher(s) imported successfully, 2 failed.',
        done_count: 2,
        failed_count: 2,
        failed: [
          { code: 'JSON-3', reason: 'Value of a PERCENT discount must be between 0 and 100' },
          { code: 'JSON-1', reason: 'Resource voucher with code JSON-1 already exists' },
        ],
      }),
    );
    const [gift] = await stack.db.query<{ gift_amount: string; redemption_limit: number }>(`SELECT gift_amount, redemption_limit FROM importer.voucher WHERE code = 'JSON-2'`);
    expect(gift).toEqual({ gift_amount: '5000', redemption_limit: 2 });

    const campaign = (await sdk.campaigns.importVouchers('winter', [{ code: 'WINTER-1' }, { code: 'WINTER-2' }] as never)) as unknown as { async_action_id: string };
    const c = await stack.finished(campaign.async_action_id);
    expect(c).toMatchObject({ type: 'CAMPAIGN.VOUCHERS_IMPORT', status: 'DONE', result: { message: '2 voucher(s) imported successfully, 0 failed.', done_count: 2, failed: [] } });

    const orders = (await sdk.orders.import([
      { source_id: 'ord-1', status: 'PAID', amount: 12000, items: [{ sku_id: 'sku-s', quantity: 2 }], customer: { source_id: 'cust-1' }, metadata: { channel: 'web' } },
      { source_id: 'ord-2', status: 'LOST' },
    ] as never)) as unknown as { async_action_id: string };
    const o = await stack.finished(orders.async_action_id);
    expect(o).toMatchObject({
      type: 'ORDERS.IMPORT',
      status: 'DONE',
      result: { message: '1 order(s) imported successfully, 1 failed.', failed: [{ source_id: 'ord-2', reason: 'status must be one of CREATED, PAID, CANCELED, FULFILLED' }] },
    });

    const malformed = await stack.fetch('/v1/vouchers/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"code": "X",' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 400, key: 'invalid_payload', request_id: expect.any(String) });
    const notArray = await stack.fetch('/v1/orders/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"source_id": "x"}' });
    expect(notArray.status).toBe(400);
    expect(((await notArray.json()) as { details: string }).details).toMatch(/^body: /);
    const notObject = await stack.fetch('/v1/vouchers/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"code":"A"}, 5]' });
    expect(((await notObject.json()) as { details: string }).details).toBe('[1]: item 1 must be a JSON object');
  });

  it('runs bulk and metadata updates of vouchers, customers and products with seed 001 result shapes', async () => {
    const sdk = stack.sdk();
    const started = async (p: Promise<unknown>) => stack.finished(((await p) as { async_action_id: string }).async_action_id);

    const vb = await started(sdk.vouchers.bulkUpdate([{ code: code(2), metadata: { tier: 'gold' } }, { code: 'NOPE', metadata: { tier: 'x' } }]));
    expect(vb).toMatchObject({ type: 'VOUCHERS.BULK_UPDATE', status: 'DONE' });
    expect(vb.result).toMatchObject({
      done_count: 1,
      failed_count: 1,
      errors: [{ message: 'Resource not found', details: 'Resource voucher with id NOPE not found', key: 'not_found', code: 'NOPE' }],
      reports: [expect.stringContaining(`/v1/async-actions/${vb.id}/report`)],
    });

    const vm = await started(sdk.vouchers.bulkUpdateMetadata({ codes: [code(2), code(3)], metadata: { season: 'winter' } }));
    expect(vm).toMatchObject({ type: 'VOUCHERS.METADATA_UPDATE', status: 'DONE', result: { errors: [] } });
    const [v2] = await stack.db.query<{ metadata: Record<string, unknown> }>(`SELECT metadata FROM importer.voucher WHERE code = $1`, [code(2)]);
    expect(v2.metadata).toEqual({ Note: 'note 2', tier: 'gold', season: 'winter' });

    const cb = await started(sdk.customers.updateInBulk([{ source_id: 'cust-1', name: 'Alice B', metadata: { vip: true } }, { source_id: 'cust-9', email: 'not-an-email' }] as never));
    expect(cb.result).toMatchObject({ done_count: 1, failed_count: 1, errors: [{ key: 'invalid_payload', details: 'email must be a valid email address', source_id: 'cust-9' }] });
    const cm = await started(sdk.customers.updateMetadataInBulk({ source_ids: ['cust-1', 'ghost'], metadata: { segment: 'b2b' } }));
    expect(cm).toMatchObject({ type: 'CUSTOMERS.METADATA_UPDATE', result: { errors: [{ key: 'not_found', source_id: 'ghost', details: 'Resource customer with id ghost not found' }] } });
    const [alice] = await stack.db.query<{ name: string; metadata: Record<string, unknown> }>(`SELECT name, metadata FROM importer.customer WHERE source_id = 'cust-1'`);
    expect(alice).toEqual({ name: 'Alice B', metadata: { tier: 'gold', vip: true, segment: 'b2b' } });

    const pb = await started(sdk.products.bulkUpdate([{ source_id: 'prod-1', price: 3000 }] as never));
    expect(pb).toMatchObject({ type: 'PRODUCTS.BULK_UPDATE', result: { done_count: 1, failed_count: 0, errors: [] } });
    const pm = await started(sdk.products.bulkUpdateMetadata({ source_ids: ['prod-1'], metadata: { fabric: 'cotton' } }));
    expect(pm).toMatchObject({ type: 'PRODUCTS.METADATA_UPDATE', result: { errors: [] } });
    const [shirt] = await stack.db.query<{ price: string; metadata: Record<string, unknown> }>(`SELECT price, metadata FROM importer.product WHERE source_id = 'prod-1'`);
    expect(shirt).toEqual({ price: '3000', metadata: { fabric: 'cotton' } });

    const bad = await stack.fetch('/v1/customers/metadata/async', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"source_ids": [], "metadata": {}}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: string }).details).toMatch(/^source_ids: /);
  });

  it('generates unique campaign vouchers from a code pattern (CAMPAIGN.VOUCHERS_GENERATE)', async () => {
    const sdk = stack.sdk();
    const { async_action_id } = (await sdk.campaigns.addVoucher('gen-campaign', { code_config: { length: 5, charset: 'ABCDEFGH', prefix: 'G-', postfix: '-X' } } as never, {
      vouchers_count: 2500,
    })) as unknown as { async_action_id: string };
    const g = await stack.finished(async_action_id);
    expect(g).toMatchObject({ type: 'CAMPAIGN.VOUCHERS_GENERATE', status: 'DONE', progress: 100, result: { message: '2500 voucher(s) generated successfully.', done_count: 2500 } });
    const [{ n, distinct, shaped }] = await stack.db.query<{ n: number; distinct: number; shaped: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT v.code)::int AS distinct, count(*) FILTER (WHERE v.code ~ '^G-[A-H]{5}-X$')::int AS shaped
         FROM importer.voucher v JOIN importer.campaign c ON c.id = v.campaign_id WHERE c.name = 'gen-campaign'`,
    );
    expect({ n, distinct, shaped }).toEqual({ n: 2500, distinct: 2500, shaped: 2500 });

    const tooSmall = await stack.fetch('/v1/campaigns/gen-campaign/vouchers?vouchers_count=100', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code_config: { length: 2, charset: 'AB' } }),
    });
    expect(tooSmall.status).toBe(400);
    expect(((await tooSmall.json()) as { details: string }).details).toMatch(/^code_config: /);
    const badCount = await stack.fetch('/v1/campaigns/gen-campaign/vouchers?vouchers_count=0', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(badCount.status).toBe(400);
    expect(((await badCount.json()) as { details: string }).details).toMatch(/vouchers_count/);
  });

  it('updates and deletes every voucher of a campaign (CAMPAIGN.VOUCHERS_UPDATE / _DELETE)', async () => {
    const sdk = stack.sdk();
    const upd = (await sdk.campaigns.update('gen-campaign', { category: 'autumn', metadata: { wave: 2 } } as never)) as unknown as { async_action_id: string };
    const u = await stack.finished(upd.async_action_id);
    expect(u).toMatchObject({ type: 'CAMPAIGN.VOUCHERS_UPDATE', status: 'DONE', result: { message: '2500 voucher(s) updated successfully.', done_count: 2500 } });
    const [{ autumn }] = await stack.db.query<{ autumn: number }>(
      `SELECT count(*) FILTER (WHERE v.category = 'autumn' AND v.metadata = '{"wave": 2}')::int AS autumn FROM importer.voucher v JOIN importer.campaign c ON c.id = v.campaign_id WHERE c.name = 'gen-campaign'`,
    );
    expect(autumn).toBe(2500);

    const del = (await sdk.campaigns.delete('gen-campaign')) as unknown as { async_action_id: string };
    const d = await stack.finished(del.async_action_id);
    expect(d).toMatchObject({ type: 'CAMPAIGN.VOUCHERS_DELETE', status: 'DONE', result: { message: '2500 voucher(s) deleted successfully.', done_count: 2500 } });
    const [{ left }] = await stack.db.query<{ left: number }>(`SELECT count(*)::int AS left FROM importer.voucher WHERE code LIKE 'G-%'`);
    expect(left).toBe(0);
    await expect(sdk.campaigns.delete('gen-campaign')).rejects.toMatchObject({ code: 404, key: 'not_found' });
  });

  it('purges a metadata key from every resource of a kind (*.METADATA_KEY_PURGE)', async () => {
    const res = await stack.fetch('/v1/metadata-schemas/customer/definitions/tier/purge', { method: 'POST' });
    expect(res.status).toBe(202);
    const { async_action_id } = (await res.json()) as { async_action_id: string };
    const p = await stack.finished(async_action_id);
    expect(p).toMatchObject({ type: 'CUSTOMERS.METADATA_KEY_PURGE', status: 'DONE', result: { message: 'Metadata key tier purged from 1 customer(s).', done_count: 1 } });
    const [alice] = await stack.db.query<{ metadata: Record<string, unknown> }>(`SELECT metadata FROM importer.customer WHERE source_id = 'cust-1'`);
    expect(alice.metadata).toEqual({ vip: true, segment: 'b2b' });

    const vouchers = await stack.fetch('/v1/metadata-schemas/voucher/definitions/Note/purge', { method: 'POST' });
    const v = await stack.finished(((await vouchers.json()) as { async_action_id: string }).async_action_id);
    expect(v).toMatchObject({ type: 'VOUCHERS.METADATA_KEY_PURGE', result: { done_count: 9963 } });
    const [{ left }] = await stack.db.query<{ left: number }>(`SELECT count(*)::int AS left FROM importer.voucher WHERE metadata ? 'Note'`);
    expect(left).toBe(0);

    const bad = await stack.fetch('/v1/metadata-schemas/planet/definitions/x/purge', { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: string }).details).toMatch(/^resource: /);
  });

  it('fails malformed files with a clear reason and stays healthy', async () => {
    const sdk = stack.sdk();
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['binary.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), /not a CSV file/],
      ['header.csv', 'name,value\nA,1\n', /must contain the column\(s\) code/],
      ['quote.csv', 'Code,Category\nA1,"never closed\nA2,x\n', /never closed/],
      ['long.csv', `Code\n${'A'.repeat(10 * 1024 * 1024)}\n`, /longer than/],
      ['empty.csv', '', /empty/],
      ['header-only.csv', 'Code,Category\r\n', /no data rows/],
    ];
    for (const [name, content, reason] of cases) {
      const { async_action_id } = (await sdk.vouchers.importCSV(stack.file(name, content))) as { async_action_id: string };
      const a = await stack.finished(async_action_id);
      expect({ name, status: a.status, operation_status: a.operation_status }).toEqual({ name, status: 'FAILED', operation_status: 'FAILED' });
      expect(a.result.message).toMatch(reason);
    }
    const health = await fetch(`${stack.importer.url}/health/ready`);
    expect(health.status).toBe(200);
  });

  it('answers bad requests in Voucherify’s error shape', async () => {
    const notMultipart = await stack.fetch('/v1/vouchers/importCSV', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"file": 1}' });
    expect(notMultipart.status).toBe(400);
    expect(await notMultipart.json()).toMatchObject({ code: 400, key: 'invalid_payload', details: expect.stringMatching(/^file: /), request_id: expect.any(String) });

    const noFile = new FormData();
    noFile.append('other', 'x');
    const missing = await stack.fetch('/v1/vouchers/importCSV', { method: 'POST', body: noFile });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { details: string }).details).toMatch(/file: .*required/);

    const badJson = await stack.fetch('/v1/async-actions?limit=500');
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { details: string }).details).toMatch(/limit/);

    const unknown = await stack.fetch('/v1/async-actions/aa_0123456789abcdef0123456789abcdef');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 404, key: 'not_found' });
    expect((await stack.fetch('/v1/async-actions/not-an-id')).status).toBe(404);

    const wrongSecret = await fetch(`${stack.gateway.url}/v1/async-actions`, { headers: { 'X-App-Id': CLIENTS[0].id, 'X-App-Token': 'wrong' } });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ code: 401, key: 'unauthorized', request_id: expect.any(String) });
    await expect(stack.sdk({ id: 'nobody', secret: 'nothing' }).asyncActions.list({})).rejects.toMatchObject({ code: 401 });
  });

  it('lists async actions newest first, without results, paging by end_date', async () => {
    const sdk = stack.sdk();
    const all = (await sdk.asyncActions.list({ limit: 100 })) as unknown as { object: string; data_ref: string; async_actions: AsyncActionJson[]; has_more: boolean };
    expect(all).toMatchObject({ object: 'list', data_ref: 'async_actions', has_more: false });
    expect(all.async_actions.length).toBeGreaterThanOrEqual(10);
    expect(all.async_actions.every((a) => !Object.keys(a).includes('result') && a.object === 'async_action')).toBe(true);

    const seen: string[] = [];
    let endDate: string | undefined;
    for (;;) {
      const page = (await sdk.asyncActions.list({ limit: 3, ...(endDate ? { end_date: endDate } : {}) })) as unknown as { async_actions: AsyncActionJson[]; has_more: boolean };
      seen.push(...page.async_actions.map((a) => a.id));
      if (!page.has_more) break;
      endDate = page.async_actions[page.async_actions.length - 1].created_at;
    }
    expect(seen).toEqual(all.async_actions.map((a) => a.id));

    const other = (await stack.sdk(CLIENTS[1]).asyncActions.list({})) as unknown as { async_actions: unknown[] };
    expect(other.async_actions).toEqual([]);
  });
});
