import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { initMetrics, metricsRegistry } from '@asyncops/platform';
import { ComposeService, dependencyConditions, healthcheckPort, loadCompose, serviceEnvironment } from './compose';

const ROOT = path.resolve(__dirname, '../../..');
const APPS = ['gateway', 'tracker', 'order-placement', 'importer'];

/** The host side of each bind mount (`./deploy/x:/etc/x:ro`), resolved against the repository. */
export function bindMounts(service: ComposeService): Array<{ source: string; target: string }> {
  return (service.volumes ?? []).flatMap((v) => {
    if (typeof v !== 'string') return [];
    const [source, target] = v.split(':');
    return source.startsWith('.') || source.startsWith('/') ? [{ source: path.resolve(ROOT, source), target }] : [];
  });
}

/** Metric names a PromQL expression reads (`asyncops_*`, `nodejs_*`, `process_*`), histogram suffixes dropped. */
export function metricNamesIn(expr: string): string[] {
  return [...expr.matchAll(/\b((?:asyncops|nodejs|process)_[a-z0-9_]+)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, ''));
}

/**
 * docker-compose.yml's Prometheus and Grafana: their configuration files exist where the mounts
 * say, Prometheus scrapes every app on the port it listens on, and the alert rules and the
 * dashboard only read series the apps actually export.
 */
export function describeMonitoringServices(): void {
  const compose = loadCompose();
  const prometheus = compose.services.prometheus ?? {};
  const grafana = compose.services.grafana ?? {};

  describe('docker-compose.yml: monitoring', () => {
    beforeAll(() => initMetrics('compose-check'));
    const registered = () => new Set(metricsRegistry.getMetricsAsArray().map((m) => m.name));

    it.each([
      ['prometheus', prometheus],
      ['grafana', grafana],
    ])('%s mounts configuration that exists in the repository', (_name, service) => {
      const mounts = bindMounts(service);
      expect(mounts.length).toBeGreaterThan(0);
      expect(mounts.filter((m) => !existsSync(m.source)).map((m) => m.source)).toEqual([]);
    });

    it('prometheus reads the mounted config and rules, and scrapes /metrics of every app on its PORT', () => {
      const mounts = bindMounts(prometheus);
      const configMount = mounts.find((m) => m.target === '/etc/prometheus/prometheus.yml');
      expect(configMount).toBeDefined();
      const config = parse(readFileSync(configMount?.source as string, 'utf8')) as {
        rule_files: string[];
        scrape_configs: Array<{ metrics_path?: string; static_configs: Array<{ targets: string[] }> }>;
      };
      expect(config.rule_files.every((f) => mounts.some((m) => m.target === f))).toBe(true);
      const targets = config.scrape_configs.flatMap((c) => (c.metrics_path === '/metrics' ? c.static_configs.flatMap((s) => s.targets) : []));
      for (const app of APPS) {
        const port = serviceEnvironment(compose.services[app] ?? {}).PORT;
        expect(port).toBe(String(healthcheckPort(compose.services[app] ?? {})));
        expect(targets).toContain(`${app}:${port}`);
      }
      expect(Object.keys(dependencyConditions(prometheus)).sort()).toEqual([...APPS].sort());
    });

    it('has alert rules for stuck operations, a growing dead-letter queue and outbox lag, on exported series', () => {
      const rulesMount = bindMounts(prometheus).find((m) => m.target === '/etc/prometheus/alerts.yml');
      const rules = (parse(readFileSync(rulesMount?.source as string, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }).groups.flatMap(
        (g) => g.rules,
      );
      expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['OperationStuck', 'DeadLetterQueueGrowing', 'OutboxLagging']));
      const names = registered();
      for (const rule of rules) for (const metric of metricNamesIn(rule.expr)) expect({ rule: rule.alert, metric, exported: names.has(metric) }).toMatchObject({ exported: true });
    });

    it('grafana provisions the Prometheus data source and the dashboard, whose panels read exported series', () => {
      const mounts = bindMounts(grafana);
      const provisioning = mounts.find((m) => m.target === '/etc/grafana/provisioning')?.source as string;
      const dashboards = mounts.find((m) => m.target === '/var/lib/grafana/dashboards')?.source as string;
      const datasource = parse(readFileSync(path.join(provisioning, 'datasources/prometheus.yml'), 'utf8')) as { datasources: Array<{ type: string; url: string }> };
      expect(datasource.datasources[0]).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
      const provider = parse(readFileSync(path.join(provisioning, 'dashboards/asyncops.yml'), 'utf8')) as { providers: Array<{ options: { path: string } }> };
      expect(provider.providers[0].options.path).toBe('/var/lib/grafana/dashboards');
      const dashboard = JSON.parse(readFileSync(path.join(dashboards, 'asyncops.json'), 'utf8')) as {
        panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }>;
      };
      const rows = dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title);
      expect(rows).toEqual(['Operations', 'Throughput', 'Latency', 'Lag', 'Errors']);
      const names = registered();
      const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
      expect(exprs.length).toBeGreaterThan(15);
      for (const { panel, expr } of exprs) for (const metric of metricNamesIn(expr)) expect({ panel, metric, exported: names.has(metric) }).toMatchObject({ exported: true });
    });
  });
}
