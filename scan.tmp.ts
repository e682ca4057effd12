import { CsvScanner } from './apps/importer/src/imports/csv/csv-scanner';
const N = 200000;
let s = 'Code,Voucher Type,Value,Discount Type,Category,Start Date,Expiration Date,Redemption Limit,Active,Color\n';
for (let i = 1; i <= N; i++) s += `R1-${i},DISCOUNT_VOUCHER,10,PERCENT,bench,2026-01-01T00:00:00Z,2026-12-31T00:00:00Z,5,true,blue\n`;
const buf = Buffer.from(s);
async function* chunks(b: Buffer) { for (let i = 0; i < b.length; i += 262144) yield b.subarray(i, i + 262144); }
(async () => { for (let k = 0; k < 4; k++) { const t = performance.now(); const sc = new CsvScanner(chunks(buf), { atStart: true, rowsBefore: 0 }); let n = 0; for (;;) { const r = await sc.read(1000); if (!r.length) break; n += r.length; } console.log(n, Math.round(N / (performance.now() - t) * 1000), 'rows/s'); } })();
