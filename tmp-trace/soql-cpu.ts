import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { soqlQueryScenario } from '../tools/bench/scenarios/soql-query';
const tick = 100;
function cpu(pid: number) { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return { u: +f[11] * 1000 / tick, s: +f[12] * 1000 / tick }; }
function pidsOf(pat: string) { return execSync(`pgrep -f '${pat}'`).toString().trim().split('\n').map(Number).filter((p) => { try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('node'); } catch { return false; } }); }
(async () => {
  const s = soqlQueryScenario((process.env.VARIANT as 'rows') ?? 'rows');
  await s.setup!();
  const gw = pidsOf('dist/apps/gateway/src/main.js')[0];
  const n = Number(process.env.N ?? 20);
  for (let i = 0; i < 3; i++) await s.system();
  const c0 = cpu(gw); const t0 = Date.now(); const r0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await s.system();
  const ms = Date.now() - t0; const c1 = cpu(gw); const cl = process.cpuUsage(r0); const reqs = n * 1000;
  console.log(`system: ${(reqs * 1000 / ms).toFixed(0)} req/s; gateway user ${((c1.u - c0.u) / reqs).toFixed(3)} sys ${((c1.s - c0.s) / reqs).toFixed(3)} ms/req; client ${((cl.user + cl.system) / 1000 / reqs).toFixed(3)} ms/req`);
  const t1 = Date.now(); for (let i = 0; i < n; i++) await s.baseline(); console.log(`baseline: ${(reqs * 1000 / (Date.now() - t1)).toFixed(0)} req/s`);
  await s.teardown!();
})().catch((e) => { console.error(e); process.exit(1); });
