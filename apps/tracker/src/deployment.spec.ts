import 'reflect-metadata';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildOf, describeComposeService, dockerfileInstructions, healthcheckCommand, loadCompose } from '@asyncops/testing';
import { TrackerConfig } from './config';

/** docker-compose.yml must run this app the way its config class expects. */
describeComposeService('tracker', TrackerConfig, { afterTracker: false });

const ROOT = path.resolve(__dirname, '../../..');
const compose = loadCompose();

describe('docker-compose.yml and Dockerfile: shared parts', () => {
  it.each([
    ['rabbitmq', 'rabbitmq-diagnostics'],
    ['postgres', 'pg_isready'],
  ])('%s has a healthcheck (%s), which the apps wait on', (name, probe) => {
    expect(compose.services[name]).toBeDefined();
    expect(healthcheckCommand(compose.services[name])).toContain(probe);
  });

  it('rabbitmq enables the consistent-hash exchange (the tracker partitions lifecycle events through it), keeping the management plugins', () => {
    const mounts = (compose.services.rabbitmq.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${(v as { source: string }).source}:${(v as { target: string }).target}`));
    const mount = mounts.find((v) => v.split(':')[1] === '/etc/rabbitmq/enabled_plugins');
    expect(mount).toBeDefined();
    const file = path.resolve(ROOT, (mount as string).split(':')[0]);
    const plugins = readFileSync(file, 'utf8').trim();
    // An Erlang term: a list of atoms ended by a full stop.
    expect(plugins).toMatch(/^\[[a-z_]+(,\s*[a-z_]+)*\]\.$/);
    const names = plugins.slice(1, -2).split(',').map((n) => n.trim());
    expect(names).toEqual(expect.arrayContaining(['rabbitmq_consistent_hash_exchange', 'rabbitmq_management', 'rabbitmq_prometheus']));
  });

  it('has a service for every server app in apps/, built with APP = its name', () => {
    const appsDir = path.join(ROOT, 'apps');
    // Server apps start through runService; tools such as a command-line client are not services.
    const main = (d: string) => path.join(appsDir, d, 'src', 'main.ts');
    const apps = readdirSync(appsDir).filter((d) => existsSync(main(d)) && /\brunService\s*[<(]/.test(readFileSync(main(d), 'utf8')));
    expect(apps.length).toBeGreaterThan(0);
    for (const app of apps) expect({ app, args: buildOf(compose.services[app] ?? {})?.args }).toEqual({ app, args: { APP: app } });
  });

  it("runs each app's compiled main.js with the path aliases mapped, as the non-root user", () => {
    const instructions = dockerfileInstructions();
    const cmd = instructions.filter((i) => i.instruction === 'CMD').pop();
    expect(cmd?.args).toContain('dist/apps/${APP}/src/main.js');
    expect(cmd?.args).toContain('-r ./tools/register-paths.js');
    expect(existsSync(path.join(ROOT, 'tools', 'register-paths.js'))).toBe(true);
    const lastFrom = instructions.map((i) => i.instruction).lastIndexOf('FROM');
    const runtime = instructions.slice(lastFrom);
    expect(runtime.some((i) => i.instruction === 'ARG' && /^APP\b/.test(i.args))).toBe(true);
    expect(runtime.some((i) => i.instruction === 'USER' && !/^(root|0)$/.test(i.args))).toBe(true);
    expect(runtime.some((i) => i.instruction === 'HEALTHCHECK' && i.args.includes('/health/ready'))).toBe(true);
  });
});
