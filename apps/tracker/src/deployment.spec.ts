import 'reflect-metadata';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '@asyncops/platform';
import {
  buildOf,
  dependencyConditions,
  dockerfileInstructions,
  healthcheckCommand,
  healthcheckPort,
  imageEnvironment,
  loadCompose,
  serviceEnvironment,
} from '@asyncops/testing';
import { TrackerConfig } from './config';

/** docker-compose.yml must run this app the way its config class expects. */
const APP = 'tracker';
const ROOT = path.resolve(__dirname, '../../..');
const compose = loadCompose();
const service = compose.services[APP] ?? {};
const env = serviceEnvironment(service);

describe(`docker-compose.yml: ${APP}`, () => {
  it('has a service named after the app', () => {
    expect(Object.keys(compose.services)).toContain(APP);
  });

  it('health-checks /health/ready on the PORT it sets', () => {
    expect(env.PORT).toMatch(/^\d+$/);
    expect(healthcheckPort(service)).toBe(Number(env.PORT));
  });

  it('sets only variables that TrackerConfig reads', () => {
    const known = Object.keys(new TrackerConfig());
    expect(Object.keys(env).filter((name) => !known.includes(name))).toEqual([]);
  });

  it('gives the app a valid configuration (image ENV + compose environment, .env-less defaults)', () => {
    const runtimeEnv = { ...imageEnvironment(buildOf(service)?.args), ...env };
    const config = loadConfig(APP, TrackerConfig, runtimeEnv);
    expect(config.PORT).toBe(Number(env.PORT));
  });

  it('reaches the compose postgres and rabbitmq services', () => {
    const db = new URL(env.DATABASE_URL);
    expect(db.hostname).toBe('postgres');
    expect(db.pathname.slice(1)).toBe(serviceEnvironment(compose.services.postgres ?? {}).POSTGRES_DB);
    expect(new URL(env.AMQP_URL).hostname).toBe('rabbitmq');
  });

  it('waits for healthy rabbitmq and postgres', () => {
    expect(dependencyConditions(service)).toMatchObject({ rabbitmq: 'service_healthy', postgres: 'service_healthy' });
  });

  it('is built from the Dockerfile with APP=tracker', () => {
    expect(buildOf(service)).toMatchObject({ context: '.', dockerfile: 'Dockerfile', args: { APP } });
  });
});

describe('docker-compose.yml and Dockerfile: shared parts', () => {
  it.each([
    ['rabbitmq', 'rabbitmq-diagnostics'],
    ['postgres', 'pg_isready'],
  ])('%s has a healthcheck (%s), which the apps wait on', (name, probe) => {
    expect(compose.services[name]).toBeDefined();
    expect(healthcheckCommand(compose.services[name])).toContain(probe);
  });

  it('has a service for every app in apps/, built with APP = its name', () => {
    const appsDir = path.join(ROOT, 'apps');
    const apps = readdirSync(appsDir).filter((d) => existsSync(path.join(appsDir, d, 'src', 'main.ts')));
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
