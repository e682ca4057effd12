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
