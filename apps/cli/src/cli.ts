import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Command, CommanderError, Option } from 'commander';
import { ApiClient, CliError } from './client';
import { bashCompletion, zshCompletion } from './completion';
import { Credentials, credentialsFile, deleteCredentials, loadCredentials, saveCredentials } from './credentials';
import { bar, formatBytes, isTerminal, OperationSnapshot, progressLine, RateEstimator } from './progress';
import { SseParser } from './sse';

export const DEFAULT_URL = 'http://127.0.0.1:3000';
const IMPORT_TYPES = ['vouchers', 'customers', 'products', 'skus'] as const;
const ITEMS_PER_CALL = 5000;

/** Where output goes; tests pass their own. */
export interface Io {
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  err: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

interface CommonOptions {
  json?: boolean;
  url?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `aa_` + 32 hex digits (a Voucherify async action id) → the tracker operation's uuid. */
export function operationIdOfAction(actionId: string): string {
  const m = /^aa_([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/.exec(actionId);
  if (!m) throw new CliError(`unexpected async action id ${actionId}`);
  return m.slice(1).join('-');
}

export function buildProgram(io: Io): Command {
  const print = (line = ''): void => void io.out.write(line + '\n');
  const json = (value: unknown): void => void io.out.write(JSON.stringify(value) + '\n');
  const tty = () => Boolean(io.out.isTTY);

  /** The gateway URL: --url, then ASYNCOPS_URL, then the one signed in to, then the default. */
  const urlOf = (o: CommonOptions, saved?: Credentials) => (o.url ?? io.env.ASYNCOPS_URL ?? saved?.url ?? DEFAULT_URL).replace(/\/+$/, '');

  const client = (o: CommonOptions): ApiClient => {
    const saved = loadCredentials();
    const url = urlOf(o, saved);
    const token = io.env.ASYNCOPS_TOKEN ?? (saved && saved.url === url ? saved.accessToken : undefined);
    if (!token) throw new CliError(`not signed in to ${url}; run: asyncops login --url ${url}`, 3);
    return new ApiClient(url, token);
  };

  const common = (cmd: Command) =>
    cmd
      .option('--json', 'machine-readable JSON output')
      .addOption(new Option('--url <url>', `gateway URL (default: $ASYNCOPS_URL, the URL you signed in to, or ${DEFAULT_URL})`));

  /** Follows an operation to its end with a live progress line; returns the final state. */
  async function watch(api: ApiClient, id: string, o: { interval?: string; mode: 'human' | 'json' | 'quiet' }): Promise<OperationSnapshot> {
    const interval = Math.max(100, Number(o.interval ?? 1000));
    const estimator = new RateEstimator();
    let lastVersion: unknown;
    let lastPrinted = 0;
    let lastLine = '';
    for (;;) {
      const op = await api.get<OperationSnapshot & { version?: number }>(`/api/v1/operations/${encodeURIComponent(id)}`);
      estimator.observe(op.successfulJobItems + op.failedJobItems);
      const done = isTerminal(op.status);
      if (o.mode === 'json') {
        if (op.version !== lastVersion || done) json(op);
        lastVersion = op.version;
      } else if (o.mode === 'human') {
        const line = progressLine(op, estimator.rate(), estimator.etaSeconds(op.totalJobItems));
        if (tty()) io.out.write(`\r\x1b[2K${line}`);
        else if (line !== lastLine && (done || Date.now() - lastPrinted >= 2000)) {
          print(line);
          lastPrinted = Date.now();
        }
        lastLine = line;
        if (done && tty()) io.out.write('\n');
        if (done && op.message) print(op.message);
      }
      if (done) return op;
      await sleep(interval);
    }
  }

  /** Failure and Cancelled end the command with exit code 1. */
  const exitFor = (op: OperationSnapshot) => {
    if (op.status === 'Failure' || op.status === 'Cancelled') process.exitCode = 1;
  };

  const program = new Command('asyncops')
    .description('Follow and start long-running operations of an AsyncOps gateway')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();

  common(
    program
      .command('login')
      .description('sign in with client credentials; the token is saved (mode 0600) under your config directory')
      .option('--client-id <id>', 'client id (default: $ASYNCOPS_CLIENT_ID, or asked)')
      .option('--client-secret <secret>', 'client secret (default: $ASYNCOPS_CLIENT_SECRET, or asked)'),
  ).action(async (o: CommonOptions & { clientId?: string; clientSecret?: string }) => {
    const url = urlOf(o);
    let clientId = o.clientId ?? io.env.ASYNCOPS_CLIENT_ID;
    let clientSecret = o.clientSecret ?? io.env.ASYNCOPS_CLIENT_SECRET;
    if ((!clientId || !clientSecret) && process.stdin.isTTY) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      clientId ??= await rl.question('Client id: ');
      clientSecret ??= await rl.question('Client secret: ');
      rl.close();
    }
    if (!clientId || !clientSecret) throw new CliError('give --client-id and --client-secret (or ASYNCOPS_CLIENT_ID / ASYNCOPS_CLIENT_SECRET)', 2);
    let res: Response;
    try {
      res = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
      });
    } catch (e) {
      throw new CliError(`cannot reach the gateway at ${url}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
    }
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!res.ok || !body.access_token) throw new CliError(`sign-in refused (${res.status}): ${body.error_description ?? body.error ?? 'no token'}`, 3);
    const expiresAt = new Date(Date.now() + (body.expires_in ?? 3600) * 1000).toISOString();
    const file = saveCredentials({ url, clientId, accessToken: body.access_token, expiresAt });
    if (o.json) json({ url, clientId, expiresAt, credentialsFile: file });
    else print(`Signed in to ${url} as ${clientId} until ${expiresAt} (token saved in ${file})`);
  });

  common(program.command('logout').description('forget the saved token')).action((o: CommonOptions) => {
    const removed = deleteCredentials();
    if (o.json) json({ loggedOut: removed, credentialsFile: credentialsFile() });
    else print(removed ? 'Signed out.' : 'Not signed in.');
  });

  const ops = program.command('ops').description('list, show, watch and cancel operations');

  common(
    ops
      .command('list')
      .description('your operations, newest first, with filters and cursor paging')
      .option('--status <status...>', 'Submitted, InProgress, Completed, CompletedWithFailures, Failure')
      .option('--job-type <type...>', 'job type, e.g. PlaceOrder')
      .option('--step <name>', 'current step name')
      .option('--correlation-id <id>', 'correlation identifier')
      .option('--parent <id>', 'parent operation id')
      .option('--since <time>', 'submitted at or after (ISO 8601)')
      .option('--until <time>', 'submitted before (ISO 8601)')
      .option('--limit <n>', 'page size (≤ 200)', '20')
      .option('--cursor <cursor>', 'the next page, from a previous listing'),
  ).action(
    async (
      o: CommonOptions & { status?: string[]; jobType?: string[]; step?: string; correlationId?: string; parent?: string; since?: string; until?: string; limit: string; cursor?: string },
    ) => {
      const q = new URLSearchParams();
      o.status?.forEach((s) => q.append('status', s));
      o.jobType?.forEach((t) => q.append('jobType', t));
      if (o.step) q.set('stepName', o.step);
      if (o.correlationId) q.set('correlationIdentifier', o.correlationId);
      if (o.parent) q.set('parentOperationId', o.parent);
      if (o.since) q.set('submittedFrom', o.since);
      if (o.until) q.set('submittedTo', o.until);
      q.set('limit', o.limit);
      if (o.cursor) q.set('cursor', o.cursor);
      const page = await client(o).get<{ data: OperationSnapshot[]; nextCursor: string | null; hasMore: boolean }>(`/api/v1/operations?${q}`);
      if (o.json) return json(page);
      const rows = page.data.map((op) => [
        op.id,
        op.jobType,
        op.status,
        op.progress === null || op.progress === undefined ? '' : `${op.progress}%`,
        `${op.successfulJobItems + op.failedJobItems}/${op.totalJobItems ?? '?'}${op.failedJobItems ? ` (${op.failedJobItems} failed)` : ''}`,
        op.stepName ?? '',
        op.submittedAt ?? '',
      ]);
      printTable(print, ['ID', 'JOB TYPE', 'STATUS', 'PROGRESS', 'ITEMS', 'STEP', 'SUBMITTED'], rows);
      if (!rows.length) print('No operations.');
      if (page.hasMore && page.nextCursor) print(`More: asyncops ops list --cursor ${page.nextCursor}`);
    },
  );

  common(ops.command('get').description('one operation').argument('<id>', 'operation id')).action(async (id: string, o: CommonOptions) => {
    const op = await client(o).get<OperationSnapshot & Record<string, unknown>>(`/api/v1/operations/${encodeURIComponent(id)}`);
    if (o.json) return json(op);
    const fields = ['id', 'asyncOperationNumber', 'jobType', 'status', 'stepName', 'progress', 'totalJobItems', 'successfulJobItems', 'failedJobItems', 'correlationIdentifier', 'parentOperationId', 'childCount', 'submittedAt', 'startedAt', 'finishedAt', 'message'];
    const width = Math.max(...fields.map((f) => f.length));
    for (const f of fields) if (op[f] !== undefined && op[f] !== null) print(`${f.padEnd(width)}  ${String(op[f])}`);
    if (op.errors) print(`${'errors'.padEnd(width)}  ${JSON.stringify(op.errors)}`);
  });

  common(
    ops
      .command('watch')
      .description('a live progress bar until the operation ends; exits 1 on Failure or Cancelled')
      .argument('<id>', 'operation id')
      .option('--interval <ms>', 'poll interval in milliseconds', '1000'),
  ).action(async (id: string, o: CommonOptions & { interval: string }) => exitFor(await watch(client(o), id, { interval: o.interval, mode: o.json ? 'json' : 'human' })));

  common(ops.command('cancel').description('ask for the operation to be cancelled (honoured at its next batch)').argument('<id>', 'operation id')).action(
    async (id: string, o: CommonOptions) => {
      const res = await client(o).request<OperationSnapshot>('POST', `/api/v1/operations/${encodeURIComponent(id)}/cancel`, {});
      if (o.json) return json(res.body);
      print(`Cancel requested for ${id} (status ${res.body?.status ?? 'unknown'}).`);
    },
  );

  common(
    program
      .command('import')
      .description('upload a CSV import (Voucherify importCSV) with an upload progress bar, then watch it')
      .addArgument(new Command().createArgument('<type>', IMPORT_TYPES.join(' | ')).choices(IMPORT_TYPES))
      .argument('<file>', 'the CSV file')
      .option('--campaign <id>', 'import vouchers into this campaign')
      .option('--no-watch', 'return once the upload is accepted')
      .option('--interval <ms>', 'poll interval while watching', '1000'),
  ).action(async (type: (typeof IMPORT_TYPES)[number], file: string, o: CommonOptions & { campaign?: string; watch: boolean; interval: string }) => {
    if (o.campaign && type !== 'vouchers') throw new CliError('--campaign applies to vouchers only', 2);
    const api = client(o);
    const target = o.campaign ? `/v1/campaigns/${encodeURIComponent(o.campaign)}/importCSV` : `/v1/${type}/importCSV`;
    let lastDraw = 0;
    const res = await api.upload<{ async_action_id: string }>(target, file, (sent, total) => {
      if (o.json || !tty() || (Date.now() - lastDraw < 100 && sent < total)) return;
      lastDraw = Date.now();
      io.out.write(`\r\x1b[2Kupload ${bar(sent / total)} ${String(Math.floor((sent / total) * 100)).padStart(3)}% ${formatBytes(sent)}/${formatBytes(total)}`);
    });
    if (!o.json) {
      if (tty()) io.out.write('\n');
      print(`Uploaded ${file}: async action ${res.body.async_action_id}`);
    }
    const operationId = operationIdOfAction(res.body.async_action_id);
    if (!o.watch) {
      if (o.json) json({ asyncActionId: res.body.async_action_id, operationId });
      return;
    }
    const op = await watch(api, operationId, { interval: o.interval, mode: o.json ? 'quiet' : 'human' });
    if (o.json) json({ asyncActionId: res.body.async_action_id, operationId, operation: op });
    exitFor(op);
  });

  const cart = program.command('cart').description('carts placed as orders');
  common(
    cart
      .command('place')
      .description('create a cart from a JSON file ({currency, items, products?, paymentMethod?, paymentTermDays?, allowRepricing?}), place it and watch')
      .argument('<file>', 'the cart as JSON')
      .option('--no-watch', 'return once the placement is accepted')
      .option('--interval <ms>', 'poll interval while watching', '1000'),
  ).action(async (file: string, o: CommonOptions & { watch: boolean; interval: string }) => {
    let spec: { currency?: string; paymentMethod?: string; paymentTermDays?: number; allowRepricing?: boolean; items?: unknown[]; products?: unknown[] };
    try {
      spec = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new CliError(`cannot read ${file} as JSON: ${(e as Error).message}`, 2);
    }
    if (!Array.isArray(spec.items) || !spec.items.length) throw new CliError(`${file} needs a non-empty "items" array`, 2);
    const api = client(o);
    const say = (line: string) => !o.json && print(line);
    if (Array.isArray(spec.products) && spec.products.length) {
      await api.post('/api/v1/products', { products: spec.products });
      say(`Products: ${spec.products.length} created or replaced`);
    }
    const created = await api.post<{ id: string }>('/api/v1/carts', {
      currency: spec.currency,
      ...(spec.paymentMethod !== undefined ? { paymentMethod: spec.paymentMethod } : {}),
      ...(spec.paymentTermDays !== undefined ? { paymentTermDays: spec.paymentTermDays } : {}),
    });
    say(`Cart ${created.id} created`);
    for (let i = 0; i < spec.items.length; i += ITEMS_PER_CALL) {
      await api.post(`/api/v1/carts/${created.id}/items`, { items: spec.items.slice(i, i + ITEMS_PER_CALL) });
    }
    say(`Items: ${spec.items.length} added`);
    const placed = await api.post<{ operationId: string; orderId: string }>(`/api/v1/carts/${created.id}/place`, spec.allowRepricing ? { allowRepricing: true } : {});
    say(`Placing as order ${placed.orderId}: operation ${placed.operationId}`);
    const result = { cartId: created.id, orderId: placed.orderId, operationId: placed.operationId };
    if (!o.watch) {
      if (o.json) json(result);
      return;
    }
    const op = await watch(api, placed.operationId, { interval: o.interval, mode: o.json ? 'quiet' : 'human' });
    if (o.json) json({ ...result, operation: op });
    exitFor(op);
  });

  const events = program.command('events').description('the live stream of your operations\' changes');
  common(
    events
      .command('tail')
      .description('print changes as they happen (Server-Sent Events), resuming after a dropped connection')
      .option('--job-type <type>', 'only operations of this job type')
      .option('--operation <id>', 'only this operation')
      .option('--count <n>', 'exit after this many events'),
  ).action(async (o: CommonOptions & { jobType?: string; operation?: string; count?: string }) => {
    const api = client(o);
    const limit = o.count ? Number(o.count) : Infinity;
    let seen = 0;
    let lastEventId: string | undefined;
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    try {
      while (seen < limit && !abort.signal.aborted) {
        const q = new URLSearchParams();
        if (o.jobType) q.set('jobType', o.jobType);
        if (o.operation) q.set('operationId', o.operation);
        if (lastEventId) q.set('lastEventId', lastEventId);
        const body = await api.stream(`/api/v1/events${q.size ? `?${q}` : ''}`, abort.signal);
        const parser = new SseParser();
        const decoder = new TextDecoder();
        try {
          for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
            for (const e of parser.feed(decoder.decode(chunk, { stream: true }))) {
              if (e.event !== 'operation.changed') continue;
              lastEventId = e.id ?? lastEventId;
              const data = JSON.parse(e.data) as OperationSnapshot & { operationId: string; changedAt?: string };
              if (o.json) json({ id: e.id, event: e.event, data });
              else
                print(
                  `${data.changedAt ?? new Date().toISOString()}  ${data.operationId}  ${data.jobType.padEnd(14)} ${data.status.padEnd(21)} ${String(data.progress ?? '').padStart(3)}%  ${data.successfulJobItems + data.failedJobItems}/${data.totalJobItems ?? '?'}  ${data.stepName ?? ''}`.trimEnd(),
                );
              if (++seen >= limit) {
                abort.abort();
                break;
              }
            }
          }
        } catch (e) {
          if (!abort.signal.aborted) throw e;
        }
        if (!abort.signal.aborted) await sleep(1000); // the server closed the stream: resume after the last event
      }
    } finally {
      process.off('SIGINT', onSignal);
    }
  });

  program
    .command('completion')
    .description('print a shell completion script: eval "$(asyncops completion bash)"')
    .addArgument(new Command().createArgument('<shell>', 'bash | zsh').choices(['bash', 'zsh']))
    .action((shell: string) => void io.out.write(shell === 'zsh' ? zshCompletion(program) : bashCompletion(program)));

  return program;
}

function printTable(print: (line: string) => void, header: string[], rows: string[][]): void {
  if (!rows.length) return;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [header, ...rows]) print(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: Io = { out: process.stdout, err: process.stderr, env: process.env }): Promise<number> {
  const program = buildProgram(io);
  program.configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) });
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof CliError) {
      io.err.write(`asyncops: ${e.message}\n`);
      return e.exitCode;
    }
    io.err.write(`asyncops: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
