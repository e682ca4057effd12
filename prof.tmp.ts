import 'reflect-metadata';
import { CsvScanner } from './apps/importer/src/imports/csv/csv-scanner';
import { voucherCopy } from './apps/importer/src/resources/vouchers/voucher-copy';
import { normalizeHeader } from './apps/importer/src/imports/csv/csv-reader';
const N = 200000;
let s = 'Code,Voucher Type,Value,Discount Type,Category,Start Date,Expiration Date,Redemption Limit,Active,Color\n';
for (let i = 1; i <= N; i++) s += `R1-${i},DISCOUNT_VOUCHER,10,PERCENT,bench,2026-01-01T00:00:00Z,2026-12-31T00:00:00Z,5,true,blue\n`;
const buf = Buffer.from(s);
async function* chunks(b: Buffer) { for (let i = 0; i < b.length; i += 262144) yield b.subarray(i, i + 262144); }
(async () => { for (let k = 0; k < 4; k++) {
  const t = performance.now(); const sc = new CsvScanner(chunks(buf), { atStart: true, rowsBefore: 0 });
  const h = (await sc.next())!.values; const fast = voucherCopy.compile(h, h.map(normalizeHeader))!;
  let n = 0; let bytes = 0; const seen = new Set<string>();
  let tScan = 0, tVal = 0;
  for (;;) { const a = performance.now(); const r = await sc.read(1000); tScan += performance.now() - a; if (!r.length) break;
    const b = performance.now(); let text = '';
    for (const rec of r) { const ok = fast(rec.values)!; if (seen.has(ok.key)) continue; seen.add(ok.key); text += voucherCopy.encode(++n, ok.value); }
    bytes += text.length; tVal += performance.now() - b; }
  console.log(n, Math.round(N / (performance.now() - t) * 1000), 'rows/s', 'scan', tScan.toFixed(0), 'validate+encode', tVal.toFixed(0)); } })();
