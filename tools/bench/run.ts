import * as path from 'node:path';
import { runScenario, Scenario, ScenarioResult, writeResults } from './harness';
import { cartPlacementScenario } from './scenarios/cart-placement';
import { trackerLifecycleScenario } from './scenarios/tracker-lifecycle';
import { soqlQueryScenario } from './scenarios/soql-query';
import { voucherImportScenario } from './scenarios/voucher-import';
import { pendingOrdersScenario } from './scenarios/pending-orders';
import { submitLatencyScenario } from './scenarios/submit-latency';
import { httpMetricsScenario, logLinesScenario } from './scenarios/observability';
import { statusReadScenario } from './scenarios/status-read';
import { scaleOutImportScenario, scaleOutTrackerScenario } from './scenarios/scale-out';

/** Every scenario, by name; later features add theirs here. */
const SCENARIOS: Record<string, () => Scenario> = {
  'tracker-lifecycle-events': trackerLifecycleScenario,
  'soql-query': () => soqlQueryScenario(),
  'soql-aggregate': () => soqlQueryScenario('aggregate'),
  'cart-placement': cartPlacementScenario,
  'voucher-import': voucherImportScenario,
  'pending-orders': pendingOrdersScenario,
  'submit-latency': submitLatencyScenario,
  'log-lines': logLinesScenario,
  'http-metrics': httpMetricsScenario,
  'status-read': statusReadScenario,
  'scale-out-tracker-events': scaleOutTrackerScenario,
  'scale-out-voucher-import': scaleOutImportScenario,
};

/** Names that stand for several scenarios. */
const GROUPS: Record<string, string[]> = {
  'scale-out': ['scale-out-tracker-events', 'scale-out-voucher-import'],
};

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const names = (only.length ? only : Object.keys(SCENARIOS)).flatMap((n) => GROUPS[n] ?? [n]);
  const results: ScenarioResult[] = [];
  for (const name of names) {
    const make = SCENARIOS[name];
    if (!make) throw new Error(`unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
    console.log(`scenario ${name}`);
    results.push(await runScenario(make(), (l) => console.log(l)));
  }
  console.log('\nscenario                      system (median)      baseline (median)    ratio');
  for (const r of results) {
    console.log(
      `${r.scenario.padEnd(30)}${`${r.systemMedian} ${r.unit}/s`.padEnd(21)}${`${r.baselineMedian} ${r.unit}/s`.padEnd(21)}${r.ratio.toFixed(3)}`,
    );
  }
  console.log(`\nresults written to ${writeResults(results, path.resolve(__dirname, '../../bench-results'))}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
