import { spawn, execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { soqlQueryScenario } from '../tools/bench/scenarios/soql-query';
import { BenchHttp, timedCalls } from '../tools/bench/harness';
function cpu(pid: number) { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (+f[11] + +f[12]) * 10; }
(async () => {
  const s = soqlQueryScenario('rows');
  await s.setup!();
  const db = (s as any);
  const url = execSync(`ps -eo args | grep 'dist/apps/gateway' | head -1`).toString();
  const gw = execSync(`pgrep -f dist/apps/gateway/src/main.js`).toString().trim().split('\n')[0]; const dburl = readFileSync(`/proc/${gw}/environ`, 'utf8').split('\0').find((l) => l.startsWith('DATABASE_URL='))!.slice(13);
  const child = spawn(process.execPath, ['tmp-trace/ideal-server.js'], { env: { ...process.env, DB: dburl, PORT: '39999' }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => child.stdout!.once('data', r));
  const http = new BenchHttp(8); const pool = new Pool({ connectionString: dburl, max: 8 });
  const SQL = `SELECT id, async_operation_number, status, job_type, submitted_at, total_job_items FROM tracker.async_operation WHERE owner_id = $1 AND status = $2 AND job_type = $3 ORDER BY submitted_at DESC, async_operation_number LIMIT 100`;
  const ideal = async () => (await timedCalls(200, 8, async () => { const r = await http.json<{ records: unknown[] }>('GET', 'http://127.0.0.1:39999/x'); if (r.body.records.length !== 100) throw new Error('n'); })).ms;
  const base = async () => (await timedCalls(200, 8, async () => { const r = await pool.query(SQL, ['bench-client', 'InProgress', 'PlaceQuote']); if (r.rows.length !== 100) throw new Error('n'); })).ms;
  const sys = async () => (await s.system()).ms;
  for (let i = 0; i < 3; i++) { await ideal(); await base(); await sys(); }
  const r = { ideal: 0, base: 0, sys: 0 }; const c0 = cpu(child.pid!);
  for (let i = 0; i < 20; i++) { r.ideal += await ideal(); r.base += await base(); r.sys += await sys(); }
  console.log(`ideal ${(4000 * 1000 / r.ideal).toFixed(0)} base ${(4000 * 1000 / r.base).toFixed(0)} sys ${(4000 * 1000 / r.sys).toFixed(0)} req/s; ideal/base ${(r.base / r.ideal).toFixed(3)} sys/base ${(r.base / r.sys).toFixed(3)}; ideal server cpu ${((cpu(child.pid!) - c0) / 4000).toFixed(3)} ms/req`);
  const one = await http.json<unknown>('GET', 'http://127.0.0.1:39999/x'); console.log('ideal body bytes', one.text.length);
  child.kill(); http.close(); await pool.end(); await s.teardown!();
})().catch((e) => { console.error(e); process.exit(1); });
