import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '@asyncops/platform';

const ROOT = path.resolve(__dirname, '../../..');
export const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
export const DOCKERFILE = path.join(ROOT, 'Dockerfile');

export interface ComposeHealthcheck {
  test: string | string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

export interface ComposeBuild {
  context?: string;
  dockerfile?: string;
  args?: Record<string, string | number | null> | string[];
}

export type ComposePort = string | number | { target: number | string; published?: number | string };

export interface ComposeService {
  image?: string;
  build?: string | ComposeBuild;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: ComposePort[];
  depends_on?: string[] | Record<string, { condition?: string; required?: boolean; restart?: boolean }>;
  healthcheck?: ComposeHealthcheck;
  volumes?: unknown[];
  restart?: string;
  init?: boolean;
  [key: string]: unknown;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

const renderings = new Map<string, ComposeFile>();

function unescapeDollars(node: unknown): unknown {
  if (typeof node === 'string') return node.replace(/\$\$/g, '$');
  if (Array.isArray(node)) return node.map(unescapeDollars);
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, unescapeDollars(v)]));
  return node;
}

/**
 * docker-compose.yml as Docker Compose itself renders it (`docker-compose config`: merge keys,
 * variable interpolation, normalised forms), by default as on a machine with no `.env` and none of
 * the file's variables set, so defaults apply. A variable that is unset and has no default is an
 * error: the file must work for someone with no `.env` at all. Build contexts come back relative to
 * the file, as written; bind-mount sources come back absolute. Needs the `docker-compose` command (Debian package `docker-compose`),
 * which renders without a Docker engine.
 */
export function loadCompose(
  options: { file?: string; variables?: Record<string, string | undefined> } = {},
): ComposeFile {
  const file = options.file ?? COMPOSE_FILE;
  const variables = Object.fromEntries(Object.entries(options.variables ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const key = JSON.stringify([file, variables]);
  const cached = renderings.get(key);
  if (cached) return structuredClone(cached);
  const dir = mkdtempSync(path.join(tmpdir(), 'compose-'));
  const emptyEnvFile = path.join(dir, 'empty.env');
  let result: ReturnType<typeof spawnSync>;
  try {
    writeFileSync(emptyEnvFile, '');
    // An empty env file: no `.env` beside the file is read, whatever a developer keeps there.
    result = spawnSync('docker-compose', ['--env-file', emptyEnvFile, '-f', file, 'config'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...variables },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (result.error) {
    throw new Error(`cannot run docker-compose to render ${file} (${result.error.message}); install it: apt-get install docker-compose`);
  }
  const stderr = String(result.stderr ?? '');
  const unset = [...stderr.matchAll(/The (\w+) variable is not set/g)].map((m) => m[1]);
  if (unset.length) throw new Error(`docker-compose.yml uses ${unset.join(', ')} without a default; use \${NAME:-default} so it works without .env`);
  if (result.status !== 0) throw new Error(`docker-compose config refused ${file}:\n${stderr}`);
  // `config` prints a file it could read again, so `$$` stays escaped; containers see one `$`.
  const rendered = unescapeDollars(parse(String(result.stdout))) as ComposeFile;
  if (!rendered || typeof rendered.services !== 'object') throw new Error('compose file has no services');
  for (const service of Object.values(rendered.services)) {
    const build = service.build;
    // Compose resolves contexts to absolute paths; the checks compare them as written.
    if (build && typeof build === 'object' && build.context) build.context = path.relative(path.dirname(file), build.context) || '.';
  }
  renderings.set(key, rendered);
  return structuredClone(rendered);
}

/** The service's environment as a process would see it (map or list form; null = inherited, left out). */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  const entries: Array<[string, unknown]> = Array.isArray(env)
    ? env.map((line) => (line.includes('=') ? [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] : [line, null]))
    : Object.entries(env);
  return Object.fromEntries(entries.filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
}

/** The healthcheck's command as one string (`CMD` / `CMD-SHELL` dropped). */
export function healthcheckCommand(service: ComposeService): string | undefined {
  const test = service.healthcheck?.test;
  if (test === undefined) return undefined;
  if (typeof test === 'string') return test;
  const [kind, ...rest] = test;
  return kind === 'CMD' || kind === 'CMD-SHELL' ? rest.join(' ') : test.join(' ');
}

/** The port of the `/health/ready` URL the healthcheck calls. */
export function healthcheckPort(service: ComposeService): number | undefined {
  const match = /\/\/(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)\/health\/ready\b/.exec(healthcheckCommand(service) ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Published ports as numbers; accepts `"3000:3000"`, `"127.0.0.1:3000:3000/tcp"`, `3000` and the long form. */
export function publishedPorts(service: ComposeService): Array<{ published?: number; target: number }> {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') {
      return { target: Number(port.target), published: port.published === undefined ? undefined : Number(port.published) };
    }
    const parts = String(port).replace(/\/(tcp|udp)$/, '').split(':');
    const target = Number(parts[parts.length - 1]);
    return { target, published: parts.length > 1 ? Number(parts[parts.length - 2]) : undefined };
  });
}

/** Each dependency and its condition (the short list form means `service_started`). */
export function dependencyConditions(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition ?? 'service_started']));
}

/** The build section in long form, args as strings. */
export function buildOf(service: ComposeService): { context: string; dockerfile: string; args: Record<string, string> } | undefined {
  const build = service.build;
  if (build === undefined) return undefined;
  if (typeof build === 'string') return { context: build, dockerfile: 'Dockerfile', args: {} };
  const rawArgs = build.args ?? {};
  const args = Array.isArray(rawArgs)
    ? Object.fromEntries(rawArgs.map((a) => [a.split('=')[0], a.slice(a.indexOf('=') + 1)]))
    : Object.fromEntries(Object.entries(rawArgs).map(([k, v]) => [k, String(v ?? '')]));
  return { context: build.context ?? '.', dockerfile: build.dockerfile ?? 'Dockerfile', args };
}

/** Dockerfile instructions in order, continuation lines joined and comments dropped. */
export function dockerfileInstructions(file = DOCKERFILE): Array<{ instruction: string; args: string }> {
  const logical = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return logical.map((line) => {
    const space = line.search(/\s/);
    return space < 0
      ? { instruction: line.toUpperCase(), args: '' }
      : { instruction: line.slice(0, space).toUpperCase(), args: line.slice(space).trim() };
  });
}

/**
 * The variables the image's final stage sets with `ENV`, with `${ARG}` references replaced by the
 * given build args (or the `ARG` defaults). Compose's `environment` is laid over these at run time.
 */
export function imageEnvironment(buildArgs: Record<string, string> = {}, file = DOCKERFILE): Record<string, string> {
  const instructions = dockerfileInstructions(file);
  const lastStage = instructions.slice(instructions.map((i) => i.instruction).lastIndexOf('FROM') + 1);
  const args: Record<string, string> = {};
  const env: Record<string, string> = {};
  const expand = (value: string) =>
    value.replace(/^(["'])(.*)\1$/, '$2').replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => env[name] ?? args[name] ?? '');
  for (const { instruction, args: rest } of lastStage) {
    if (instruction === 'ARG') {
      const [name, ...value] = rest.split('=');
      args[name] = buildArgs[name] ?? value.join('=');
    } else if (instruction === 'ENV') {
      const pairs = [...rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S+)/g)];
      if (pairs.length) pairs.forEach(([, name, value]) => (env[name] = expand(value)));
      else env[rest.split(/\s+/)[0]] = expand(rest.slice(rest.search(/\s/)).trim());
    }
  }
  return env;
}

/** Variables Node.js reads itself, allowed beside an app's own configuration. */
export const NODE_RUNTIME_VARIABLES = ['NODE_OPTIONS'];

export interface ComposeServiceExpectations {
  /** Whether the app must start after the tracker is healthy (every app but the tracker). */
  afterTracker: boolean;
  /** Whether PORT must be published on the same host port (the gateway). */
  published?: boolean;
  /** Whether the app reads SOQL pages itself through READ_DATABASE_URL, on read-only sessions (the gateway). */
  readDatabase?: boolean;
}

/** The read-only session option a READ_DATABASE_URL must carry, as libpq and pg read `options` from a URL. */
export const READ_ONLY_URL_OPTION = '-c default_transaction_read_only=on';

/**
 * What is wrong with a READ_DATABASE_URL for a deployment whose database is `database` on host
 * `host`: it must name that database there and open its sessions read-only (`options` in the URL).
 */
export function readDatabaseUrlProblems(raw: string | undefined, host: string, database: string): string[] {
  if (!raw) return ['READ_DATABASE_URL is not set'];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return ['READ_DATABASE_URL is not a URL'];
  }
  const problems: string[] = [];
  if (url.hostname !== host) problems.push(`READ_DATABASE_URL must reach ${host}, not ${url.hostname}`);
  if (url.pathname.slice(1) !== database) problems.push(`READ_DATABASE_URL must name the database ${database}, not ${url.pathname.slice(1)}`);
  const options = (url.searchParams.get('options') ?? '').replace(/\s+/g, ' ');
  if (!options.split(/(?=-c )/).some((o) => o.trim() === READ_ONLY_URL_OPTION)) problems.push(`READ_DATABASE_URL must open sessions read-only: options=${encodeURIComponent(READ_ONLY_URL_OPTION)}`);
  return problems;
}

/**
 * The checks every app's compose service must pass against the app's own config class: same
 * PORT in environment and healthcheck, no variable the app does not read, a configuration the
 * app accepts, the compose database and broker, healthy dependencies, and the shared image.
 */
export function describeComposeService(app: string, configClass: new () => object, expectations: ComposeServiceExpectations): void {
  const compose = loadCompose();
  const service = compose.services[app] ?? {};
  const env = serviceEnvironment(service);

  describe(`docker-compose.yml: ${app}`, () => {
    it('has a service named after the app', () => {
      expect(Object.keys(compose.services)).toContain(app);
    });

    it('health-checks /health/ready on the PORT it sets', () => {
      expect(env.PORT).toMatch(/^\d+$/);
      expect(healthcheckPort(service)).toBe(Number(env.PORT));
    });

    if (expectations.published) {
      it('publishes PORT on the same host port', () => {
        expect(publishedPorts(service)).toContainEqual({ published: Number(env.PORT), target: Number(env.PORT) });
      });
    }

    if (expectations.afterTracker) {
      it('starts once the tracker is healthy (it creates the tracker schema and the broker topology)', () => {
        expect(dependencyConditions(service).tracker).toBe('service_healthy');
      });
    }

    it(`sets only variables that ${configClass.name} (or Node.js itself) reads`, () => {
      const known = [...Object.keys(new configClass()), ...NODE_RUNTIME_VARIABLES];
      expect(Object.keys(env).filter((name) => !known.includes(name))).toEqual([]);
    });

    it('gives the app a valid configuration (image ENV + compose environment, .env-less defaults)', () => {
      const runtimeEnv = { ...imageEnvironment(buildOf(service)?.args), ...env };
      const config = loadConfig(app, configClass, runtimeEnv) as { PORT: number };
      expect(config.PORT).toBe(Number(env.PORT));
    });

    it('reaches the compose postgres and rabbitmq services', () => {
      const db = new URL(env.DATABASE_URL);
      expect(db.hostname).toBe('postgres');
      expect(db.pathname.slice(1)).toBe(serviceEnvironment(compose.services.postgres ?? {}).POSTGRES_DB);
      expect(new URL(env.AMQP_URL).hostname).toBe('rabbitmq');
    });

    if (expectations.readDatabase) {
      it('reads SOQL through READ_DATABASE_URL: the compose postgres, the same database, sessions opened read-only', () => {
        expect(readDatabaseUrlProblems(env.READ_DATABASE_URL, 'postgres', serviceEnvironment(compose.services.postgres ?? {}).POSTGRES_DB)).toEqual([]);
      });
    }

    it('waits for healthy rabbitmq and postgres', () => {
      expect(dependencyConditions(service)).toMatchObject({ rabbitmq: 'service_healthy', postgres: 'service_healthy' });
    });

    it(`is built from the Dockerfile with APP=${app}`, () => {
      expect(buildOf(service)).toMatchObject({ context: '.', dockerfile: 'Dockerfile', args: { APP: app } });
    });
  });
}
