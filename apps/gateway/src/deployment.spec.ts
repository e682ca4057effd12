import 'reflect-metadata';
import { loadConfig } from '@asyncops/platform';
import {
  buildOf,
  dependencyConditions,
  healthcheckPort,
  imageEnvironment,
  loadCompose,
  publishedPorts,
  serviceEnvironment,
} from '@asyncops/testing';
import { GatewayConfig } from './config';

/** docker-compose.yml must run this app the way its config class expects. */
const APP = 'gateway';
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

  it('publishes PORT on the same host port', () => {
    expect(publishedPorts(service)).toContainEqual({ published: Number(env.PORT), target: Number(env.PORT) });
  });

  it('starts once the tracker is healthy (it creates the tracker schema and the broker topology)', () => {
    expect(dependencyConditions(service).tracker).toBe('service_healthy');
  });

  it('sets only variables that GatewayConfig reads', () => {
    const known = Object.keys(new GatewayConfig());
    expect(Object.keys(env).filter((name) => !known.includes(name))).toEqual([]);
  });

  it('gives the app a valid configuration (image ENV + compose environment, .env-less defaults)', () => {
    const runtimeEnv = { ...imageEnvironment(buildOf(service)?.args), ...env };
    const config = loadConfig(APP, GatewayConfig, runtimeEnv);
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

  it('is built from the Dockerfile with APP=gateway', () => {
    expect(buildOf(service)).toMatchObject({ context: '.', dockerfile: 'Dockerfile', args: { APP } });
  });
});
