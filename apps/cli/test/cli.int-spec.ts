import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack, startStack, waitFor } from '@asyncops/testing';

const BIN = path.resolve(__dirname, '../bin/asyncops.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

interface OperationJson {
  id: string;
  jobType: string;
  status: string;
  totalJobItems: number | null;
  successfulJobItems: number;
  failedJobItems: number;
}

/**
 * The asyncops command against the whole product on the real broker and database: `--json` the
 * way scripts use it, and the progress bars the way a person sees them, in a tmux pseudo-terminal.
 */
describe('asyncops CLI (all four apps, real broker and database)', () => {
  jest.setTimeout(240_000);
  let stack: Stack;
  const dir = mkdtempSync(path.join(tmpdir(), 'asyncops-cli-it-'));
  // A private tmux server whose socket lives in the suite's directory, removed with it.
  const tmuxSocket = path.join(dir, 'tmux.sock');
  let env: NodeJS.ProcessEnv;

  const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Result> =>
    new Promise((resolve) => {
      execFile(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const file = (name: string, content: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const cartFile = (name: string, items: number, sku: string, active = true) =>
    file(name, JSON.stringify({ currency: 'USD', products: [{ sku, name: 'Widget', unitPrice: '2.5000', active }], items: Array.from({ length: items }, () => ({ sku, kind: 'major', quantity: 1 })) }));
  const voucherCsv = (name: string, rows: number, bad: number) =>
    file(
      name,
      ['Code,Voucher Type,Value,Discount Type,Category,Start Date,Expiration Date,Redemption Limit,Active,Note']
        .concat(Array.from({ length: rows }, (_, i) => `${name}-${i},DISCOUNT_VOUCHER,10,${i < bad ? 'BOGUS' : 'PERCENT'},spring,2026-01-01T00:00:00Z,2026-12-31T00:00:00Z,5,true,row ${i}`))
        .join('\n') + '\n',
    );
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', tmuxSocket, ...args], { encoding: 'utf8' });

  /** Runs the command in a 160×30 pseudo-terminal and returns the screen once it has exited. */
  async function inTerminal(args: string[]): Promise<string> {
    const session = `s${randomBytes(3).toString('hex')}`;
    const assignments = ['ASYNCOPS_CONFIG_DIR', 'ASYNCOPS_URL', 'ASYNCOPS_CLI_FROM_SOURCE', 'PATH'].map((k) => `${k}='${env[k] ?? ''}'`).join(' ');
    const command = `env ${assignments} '${process.execPath}' '${BIN}' ${args.map((a) => `'${a}'`).join(' ')}; echo "EXIT=$?"; sleep 600`;
    tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '30', command);
    try {
      return await waitFor(
        `${args.join(' ')} to finish in the terminal`,
        async () => {
          const screen = tmux('capture-pane', '-p', '-t', session);
          return /EXIT=\d+/.test(screen) ? screen : undefined;
        },
        120_000,
        250,
      );
    } finally {
      tmux('kill-session', '-t', session);
    }
  }

  beforeAll(async () => {
    stack = await startStack('cli');
    env = { PATH: process.env.PATH, HOME: dir, ASYNCOPS_CONFIG_DIR: path.join(dir, 'config'), ASYNCOPS_URL: stack.gateway.url, ASYNCOPS_CLI_FROM_SOURCE: '1' };
  });

  afterAll(async () => {
    try {
      execFileSync('tmux', ['-S', tmuxSocket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // No session was left.
    }
    rmSync(dir, { recursive: true, force: true });
    await stack?.stop();
  });

  it('login stores the token in a file only its owner can read, and never the secret', async () => {
    const refused = await cli(['login', '--client-id', 'dev-client', '--client-secret', 'wrong', '--json']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toBe('asyncops: sign-in refused (400): invalid client credentials\n');

    const r = await cli(['login', '--client-id', 'dev-client', '--client-secret', 'dev-secret', '--json']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(r.stdout) as { url: string; clientId: string; credentialsFile: string; expiresAt: string };
    expect(out).toMatchObject({ url: stack.gateway.url, clientId: 'dev-client', credentialsFile: path.join(dir, 'config', 'credentials.json') });
    expect(statSync(out.credentialsFile).mode & 0o777).toBe(0o600);
    const saved = readFileSync(out.credentialsFile, 'utf8');
    expect(saved).not.toContain('dev-secret');
    expect(JSON.parse(saved).accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(r.stdout).not.toContain(JSON.parse(saved).accessToken);
  });

  it('cart place --json creates, fills, places and follows a cart to Completed; ops get and ops list agree', async () => {
    const r = await cli(['cart', 'place', cartFile('cart.json', 450, 'CLI-1'), '--json', '--interval', '200']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const placed = JSON.parse(r.stdout) as { cartId: string; orderId: string; operationId: string; operation: OperationJson };
    expect(placed.operation).toMatchObject({ id: placed.operationId, jobType: 'PlaceOrder', status: 'Completed', totalJobItems: 450, successfulJobItems: 450, failedJobItems: 0 });

    const got = await cli(['ops', 'get', placed.operationId, '--json']);
    expect(JSON.parse(got.stdout)).toMatchObject({ id: placed.operationId, status: 'Completed' });
    const human = await cli(['ops', 'get', placed.operationId]);
    expect(human.stdout).toMatch(new RegExp(`^id\\s+${placed.operationId}$`, 'm'));
    expect(human.stdout).toMatch(/^status\s+Completed$/m);

    const list = JSON.parse((await cli(['ops', 'list', '--job-type', 'PlaceOrder', '--status', 'Completed', '--json'])).stdout) as { data: OperationJson[] };
    expect(list.data.map((o) => o.id)).toContain(placed.operationId);
    const table = (await cli(['ops', 'list', '--job-type', 'PlaceOrder'])).stdout.split('\n');
    expect(table[0]).toMatch(/^ID\s+JOB TYPE\s+STATUS\s+PROGRESS\s+ITEMS\s+STEP\s+SUBMITTED$/);
    expect(table.find((l) => l.startsWith(placed.operationId))).toMatch(/PlaceOrder\s+Completed\s+100%\s+450\/450/);

    const missing = await cli(['ops', 'get', '00000000-0000-4000-8000-000000000000', '--json']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('404');
  });

  it('a placement that fails ends the command with exit code 1 and the reason', async () => {
    const r = await cli(['cart', 'place', cartFile('bad-cart.json', 3, 'CLI-OFF', false), '--json', '--interval', '200']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { operation: OperationJson & { message: string } };
    expect(out.operation.status).toBe('Failure');
    const watched = await cli(['ops', 'watch', out.operation.id, '--json']);
    expect(watched.code).toBe(1);
    expect(JSON.parse(watched.stdout.trim().split('\n').pop() as string)).toMatchObject({ status: 'Failure' });
  });

  it('import --json uploads a CSV and follows the import: rows done and failed', async () => {
    const r = await cli(['import', 'vouchers', voucherCsv('cli-vouchers', 250, 3), '--json', '--interval', '200']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { asyncActionId: string; operationId: string; operation: OperationJson };
    expect(out.asyncActionId).toBe(`aa_${out.operationId.replace(/-/g, '')}`);
    expect(out.operation).toMatchObject({ status: 'CompletedWithFailures', successfulJobItems: 247, failedJobItems: 3 });
  });

  it('events tail prints the live changes of the job type asked for', async () => {
    const token = await stack.token();
    const opened = stack.gateway.logs.filter((l) => l.event === 'live-stream-opened').length;
    const tail = spawn(process.execPath, [BIN, 'events', 'tail', '--job-type', 'InvoiceDraftToPosted', '--count', '1', '--json'], { env });
    let stdout = '';
    tail.stdout.on('data', (c) => (stdout += c));
    const exited = new Promise<number | null>((resolve) => tail.once('exit', resolve));
    try {
      await waitFor('the event stream to open', async () => stack.gateway.logs.filter((l) => l.event === 'live-stream-opened').length > opened);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      // A change of another job type first: the filter must skip it.
      expect((await fetch(`${stack.gateway.url}/api/v1/operations`, { method: 'POST', headers, body: JSON.stringify({ jobType: 'PlaceOrder' }) })).status).toBe(201);
      const created = await fetch(`${stack.gateway.url}/api/v1/operations`, { method: 'POST', headers, body: JSON.stringify({ jobType: 'InvoiceDraftToPosted', totalJobItems: 9 }) });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      expect(await exited).toBe(0);
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; event: string; data: { operationId: string; jobType: string; status: string } });
      expect(lines).toEqual([{ id: expect.any(String), event: 'operation.changed', data: expect.objectContaining({ operationId: id, jobType: 'InvoiceDraftToPosted', status: 'Submitted' }) }]);

      const cancel = await cli(['ops', 'cancel', id, '--json']);
      expect(cancel.code).toBe(0);
      expect(JSON.parse(cancel.stdout)).toMatchObject({ id });
    } finally {
      tail.kill();
    }
  });

  it('draws the upload bar and the progress bar in a terminal, ending at 100 % with the final status', async () => {
    const screen = await inTerminal(['import', 'vouchers', voucherCsv('tty-vouchers', 400, 0), '--interval', '200']);
    expect(screen).toMatch(/^upload \[#{24}\] 100% [\d.]+ KiB\/[\d.]+ KiB$/m);
    expect(screen).toMatch(/^Uploaded .*tty-vouchers: async action aa_[0-9a-f]{32}$/m);
    expect(screen).toMatch(/^\[#{24}\] 100% 400\/400 · .*Completed$/m);
    expect(screen).toContain('EXIT=0');

    const cart = await inTerminal(['cart', 'place', cartFile('tty-cart.json', 600, 'CLI-2'), '--interval', '200']);
    expect(cart).toMatch(/^Cart [0-9a-f-]{36} created$/m);
    expect(cart).toMatch(/^Items: 600 added$/m);
    expect(cart).toMatch(/^\[#{24}\] 100% 600\/600 · .*Completed$/m);
    expect(cart).toContain('EXIT=0');
    // One line per state in a terminal: the bar is redrawn in place, not printed again.
    expect(cart.split('\n').filter((l) => l.includes('% ')).length).toBe(1);
  });
});
