import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { main, operationIdOfAction } from './cli';

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const code = await main(['node', 'asyncops', ...args], { out, err, env });
  return { code, stdout, stderr };
}

describe('asyncops (offline)', () => {
  it('maps an async action id to its operation id', () => {
    expect(operationIdOfAction('aa_7d1f7c3e2b4a4f7e9c1d3a5b6c7d8e9f')).toBe('7d1f7c3e-2b4a-4f7e-9c1d-3a5b6c7d8e9f');
    expect(() => operationIdOfAction('nope')).toThrow('unexpected async action id');
  });

  it('prints bash and zsh completion naming every command, subcommand and option', async () => {
    const bash = await run(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -o filenames -F _asyncops_complete asyncops');
    expect(bash.stdout).toContain('"ops") words="list get watch cancel');
    expect(bash.stdout).toContain('"import") words="vouchers customers products skus --campaign --no-watch --interval --json --url --help"');
    expect(bash.stdout).toContain('"events tail") words="--job-type --operation --count --json --url --help"');
    const zsh = await run(['completion', 'zsh']);
    expect(zsh.stdout.startsWith('#compdef asyncops')).toBe(true);
    expect(zsh.stdout).toContain('bashcompinit');
  });

  it('the bash script completes commands, subcommands, options and status values in a real bash', async () => {
    const script = (await run(['completion', 'bash'])).stdout;
    const complete = (...words: string[]) =>
      execFileSync(
        'bash',
        ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _asyncops_complete; echo "\${COMPREPLY[*]}"`],
        { encoding: 'utf8', cwd: __dirname },
      ).trim();
    expect(complete('asyncops', 'o')).toBe('ops');
    expect(complete('asyncops', 'ops', 'w')).toBe('watch');
    expect(complete('asyncops', 'import', 'v')).toBe('vouchers');
    // After the type comes the file: no more words, bash offers file names.
    expect(complete('asyncops', 'import', 'vouchers', 'cli.spec')).toBe('cli.spec.ts');
    expect(complete('asyncops', 'ops', 'list', '--job')).toBe('--job-type');
    expect(complete('asyncops', 'ops', 'list', '--status', 'Comp')).toBe('Completed CompletedWithFailures');
    expect(complete('asyncops', 'events', 'tail', '--')).toBe('--job-type --operation --count --json --url --help');
  });

  it('refuses an unknown import type and a campaign for anything but vouchers, with exit code 2', async () => {
    const bad = await run(['import', 'orders', 'x.csv']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("value 'orders' is invalid for argument 'type'");
    const campaign = await run(['import', 'customers', 'x.csv', '--campaign', 'c1'], { ASYNCOPS_TOKEN: 't', ASYNCOPS_URL: 'http://127.0.0.1:9' });
    expect(campaign).toMatchObject({ code: 2, stderr: 'asyncops: --campaign applies to vouchers only\n' });
  });

  it('says how to sign in when there is no token, with exit code 3', async () => {
    const r = await run(['ops', 'list'], { ASYNCOPS_CONFIG_DIR: '/nonexistent-asyncops-config', ASYNCOPS_URL: 'http://127.0.0.1:9' });
    expect(r).toMatchObject({ code: 3, stderr: 'asyncops: not signed in to http://127.0.0.1:9; run: asyncops login --url http://127.0.0.1:9\n' });
  });

  it('names the gateway it cannot reach', async () => {
    const r = await run(['ops', 'get', 'x'], { ASYNCOPS_TOKEN: 't', ASYNCOPS_URL: 'http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^asyncops: cannot reach the gateway at http:\/\/127\.0\.0\.1:9: /);
  });
});
