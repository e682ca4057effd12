import { soqlQueryScenario } from '../tools/bench/scenarios/soql-query';
(async () => {
  const s = soqlQueryScenario((process.env.VARIANT as 'rows') ?? 'rows');
  await s.setup!();
  const n = Number(process.env.N ?? 20);
  for (let i = 0; i < 3; i++) await s.system();
  const t0 = Date.now();
  const r0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await s.system();
  const ms = Date.now() - t0; const cpu = process.cpuUsage(r0);
  console.log(`system: ${(n * 200 * 1000) / ms} req/s, bench client cpu ${((cpu.user + cpu.system) / 1000 / (n * 200)).toFixed(3)} ms/req`);
  const t1 = Date.now(); const r1 = process.cpuUsage();
  for (let i = 0; i < n; i++) await s.baseline();
  const ms1 = Date.now() - t1; const cpu1 = process.cpuUsage(r1);
  console.log(`baseline: ${(n * 200 * 1000) / ms1} req/s, client cpu ${((cpu1.user + cpu1.system) / 1000 / (n * 200)).toFixed(3)} ms/req`);
  await s.teardown!();
})().catch((e) => { console.error(e); process.exit(1); });
