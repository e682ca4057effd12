'use strict';
/**
 * `npm start`: runs the whole product on this machine from the build in dist/ (`prestart` builds).
 *
 * 1. Checks PostgreSQL (creating the database named in DATABASE_URL if it is missing) and RabbitMQ,
 *    and stops with one clear line if either is down.
 * 2. Starts the tracker and waits until it is ready (it creates the tracker schema), then the
 *    gateway, order-placement and importer. Their JSON log lines go straight to this terminal.
 * 3. Ctrl-C / SIGTERM stops every app gracefully (force-killed after 30 s) and exits 0. If an app
 *    dies on its own, the others are stopped and the launcher exits with that app's code.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const amqp = require('amqplib');

const ROOT = path.resolve(__dirname, '..');
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/asyncops';
const AMQP_URL = process.env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

const APPS = [
  { name: 'tracker', port: process.env.TRACKER_PORT || '3001' },
  { name: 'gateway', port: process.env.GATEWAY_PORT || process.env.PORT || '3000' },
  { name: 'order-placement', port: process.env.ORDER_PLACEMENT_PORT || '3002' },
  { name: 'importer', port: process.env.IMPORTER_PORT || '3003' },
];

function log(level, msg, fields = {}) {
  const line = { time: new Date().toISOString(), level, service: 'launcher', msg, ...fields };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const redact = (url) => url.replace(/\/\/([^:@/]+):([^@/]*)@/, '//$1:***@');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function postgresStartHint() {
  const versions = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql') : [];
  const version = versions.length ? versions[versions.length - 1] : '<version>';
  return `start it locally with "pg_ctlcluster --skip-systemctl-redirect ${version} main start", or with Docker: "docker compose up -d postgres rabbitmq"; or point DATABASE_URL at a running server`;
}

function dependencyDown(dependency, url, error, hint) {
  log('error', `${dependency} is not reachable at ${redact(url)}: ${error.message || error.code}`, {
    event: 'dependency-unreachable',
    dependency,
    address: redact(url),
    hint,
  });
  process.exit(1);
}

async function query(url, sql) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Checks PostgreSQL answers; creates the database of DATABASE_URL (from the `postgres` database) if it is missing. */
async function ensurePostgres() {
  try {
    await query(DATABASE_URL, 'SELECT 1');
    return;
  } catch (e) {
    if (e.code !== '3D000') dependencyDown('PostgreSQL', DATABASE_URL, e, postgresStartHint());
  }
  const url = new URL(DATABASE_URL);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) dependencyDown('PostgreSQL', DATABASE_URL, new Error(`invalid database name "${name}"`), 'fix DATABASE_URL');
  url.pathname = '/postgres';
  try {
    await query(url.toString(), `CREATE DATABASE "${name}"`);
    log('info', `created database ${name}`, { event: 'database-created', database: name });
  } catch (e) {
    // 42P04: created meanwhile by someone else, which is just as good.
    if (e.code !== '42P04') dependencyDown('PostgreSQL', url.toString(), e, `create the database yourself: createdb ${name}`);
  }
}

async function ensureRabbit() {
  try {
    const connection = await amqp.connect(AMQP_URL, { timeout: 5000 });
    await connection.close();
  } catch (e) {
    dependencyDown('RabbitMQ', AMQP_URL, e, 'start it locally with "rabbitmq-server -detached", or with Docker: "docker compose up -d postgres rabbitmq"; or point AMQP_URL at a running broker');
  }
}

const children = new Map(); // name -> ChildProcess
let stopping = false;
let stopExitCode = 0;

const mainOf = (app) => path.join('dist', 'apps', app.name, 'src', 'main.js');

function startApp(app) {
  if (stopping) return;
  const child = spawn(process.execPath, ['-r', './tools/register-paths.js', mainOf(app)], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL, AMQP_URL, PORT: String(app.port) },
    stdio: 'inherit',
  });
  children.set(app.name, child);
  log('info', `started ${app.name}`, { event: 'app-started', app: app.name, pid: child.pid, port: Number(app.port) });
  child.on('exit', (code, signal) => {
    children.delete(app.name);
    if (stopping) {
      log('info', `${app.name} stopped`, { event: 'app-stopped', app: app.name, code, signal });
      if (children.size === 0) process.exit(stopExitCode);
      return;
    }
    const exitCode = code ?? 128 + (os.constants.signals[signal] || 0);
    log('error', `${app.name} exited unexpectedly (${signal || `code ${code}`}); stopping the others`, {
      event: 'app-exited',
      app: app.name,
      code,
      signal,
    });
    stopAll(exitCode || 1); // an app has no business ending by itself, even with code 0
  });
}

function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  stopExitCode = exitCode;
  if (children.size === 0) process.exit(exitCode);
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const [name, child] of children) {
      log('warn', `${name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`, { event: 'app-killed', app: name });
      child.kill('SIGKILL');
    }
  }, STOP_TIMEOUT_MS).unref();
}

async function waitReady(app, timeoutMs) {
  const url = `http://127.0.0.1:${app.port}/health/ready`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping && children.has(app.name)) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return true;
    await sleep(250);
  }
  return false;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (!stopping) log('info', `${signal} received; stopping all apps`, { event: 'stopping', signal });
    stopAll(0);
  });
}
process.on('exit', () => {
  for (const child of children.values()) child.kill('SIGKILL');
});

async function main() {
  const missing = APPS.map(mainOf).filter((main) => !fs.existsSync(path.join(ROOT, main)));
  if (missing.length) {
    log('error', `${missing.join(', ')} missing; run "npm run build" first`, { event: 'build-missing', missing });
    process.exit(1);
  }
  log('info', 'checking dependencies', { database: redact(DATABASE_URL), broker: redact(AMQP_URL) });
  await ensurePostgres();
  await ensureRabbit();
  const [tracker, ...others] = APPS;
  startApp(tracker);
  if (!(await waitReady(tracker, READY_TIMEOUT_MS))) {
    if (!stopping) log('error', `tracker not ready within ${READY_TIMEOUT_MS / 1000} s`, { event: 'not-ready', app: 'tracker' });
    return stopAll(1);
  }
  others.forEach(startApp);
  const ready = await Promise.all(others.map((app) => waitReady(app, READY_TIMEOUT_MS)));
  if (stopping) return;
  const urls = Object.fromEntries(APPS.map((a) => [a.name, `http://127.0.0.1:${a.port}`]));
  if (ready.every(Boolean)) log('info', `all apps ready; gateway at ${urls.gateway}`, { event: 'ready', urls });
  else log('warn', 'some apps are not ready yet', { event: 'not-ready', apps: others.filter((_, i) => !ready[i]).map((a) => a.name) });
}

main().catch((e) => {
  log('error', `launcher failed: ${e.message}`, { event: 'launcher-failed', stack: e.stack });
  stopAll(1);
});
