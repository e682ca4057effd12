import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Lints a snippet as if it were a file at `file`, with the workspace's real ESLint config, in a
 * child process exactly as `npm run lint` runs it.
 */
async function boundaryErrors(file: string, code: string, rule = '@nx/enforce-module-boundaries'): Promise<string[]> {
  const run = spawnSync(path.join(ROOT, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', path.join(ROOT, file), '--format', 'json'], {
    cwd: ROOT,
    input: code,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return result.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe('module boundaries (the lint rules really constrain imports)', () => {
  jest.setTimeout(60_000);

  it('refuses a framework import in the domain lib', async () => {
    const errors = await boundaryErrors('libs/domain/src/forbidden.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n");
    expect(errors.join('\n')).toMatch(/@nestjs\/common/);
  });

  it('refuses a framework import in the state machine', async () => {
    const errors = await boundaryErrors('libs/state-machine/src/forbidden.ts', "import { DataSource } from 'typeorm';\nexport const x = DataSource;\n");
    expect(errors.join('\n')).toMatch(/typeorm/);
  });

  it('keeps the SOQL pipeline framework-free and below contracts', async () => {
    expect((await boundaryErrors('libs/soql/src/forbidden.ts', "import { DataSource } from 'typeorm';\nexport const x = DataSource;\n")).join('\n')).toMatch(/typeorm/);
    expect((await boundaryErrors('libs/soql/src/forbidden.ts', "import { RpcErrorCode } from '@asyncops/contracts';\nexport const x = RpcErrorCode;\n")).join('\n')).toMatch(/contracts/);
  });

  it('refuses a domain lib reaching up into infrastructure', async () => {
    const errors = await boundaryErrors('libs/state-machine/src/forbidden.ts', "import { Topology } from '@asyncops/messaging';\nexport const x = Topology;\n");
    expect(errors.join('\n')).toMatch(/type:domain/);
  });

  it('refuses contracts depending on data access', async () => {
    const errors = await boundaryErrors('libs/contracts/src/forbidden.ts', "import { migrate } from '@asyncops/persistence';\nexport const x = migrate;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('refuses production app code importing the testing lib, but allows it in tests', async () => {
    const code = "import { uniquePrefix } from '@asyncops/testing';\nexport const x = uniquePrefix;\n";
    expect(await boundaryErrors('apps/tracker/src/forbidden.ts', code)).not.toHaveLength(0);
    expect(await boundaryErrors('apps/tracker/test/allowed.int-spec.ts', code)).toHaveLength(0);
  });

  it('allows what the layering intends', async () => {
    expect(await boundaryErrors('libs/state-machine/src/allowed.ts', "import { JOB_TYPES } from '@asyncops/domain';\nexport const x = JOB_TYPES;\n")).toHaveLength(0);
    expect(await boundaryErrors('apps/tracker/src/allowed.ts', "import { Topology } from '@asyncops/messaging';\nexport const x = Topology;\n")).toHaveLength(0);
    const soql = "import { planSoql } from '@asyncops/soql';\nexport const x = planSoql;\n";
    expect(await boundaryErrors('apps/gateway/src/allowed.ts', soql)).toHaveLength(0);
    expect(await boundaryErrors('libs/contracts/src/allowed.ts', soql)).toHaveLength(0);
  });

  describe("the gateway's core knows no dialect", () => {
    const rule = 'no-restricted-imports';

    it('refuses a core file importing from dialects/, however the path is written', async () => {
      for (const source of ['../../dialects/zuora/errors/zuora-error', '../../dialects']) {
        const errors = await boundaryErrors('apps/gateway/src/core/errors/forbidden.ts', `import { x } from '${source}';\nexport const y = x;\n`, rule);
        expect(errors.join('\n')).toMatch(/must not import a dialect/);
      }
    });

    it('refuses it in core tests too', async () => {
      const errors = await boundaryErrors('apps/gateway/src/core/http/forbidden.spec.ts', "import { x } from '../../dialects/native/orders.module';\nexport const y = x;\n", rule);
      expect(errors).not.toHaveLength(0);
    });

    it('lets core import core, and dialects and the app module import anything', async () => {
      expect(await boundaryErrors('apps/gateway/src/core/http/allowed.ts', "import { x } from '../errors/gateway-errors';\nexport const y = x;\n", rule)).toHaveLength(0);
      expect(await boundaryErrors('apps/gateway/src/dialects/zuora/allowed.ts', "import { x } from '../../core/errors/gateway-errors';\nexport const y = x;\n", rule)).toHaveLength(0);
      expect(await boundaryErrors('apps/gateway/src/allowed.ts', "import { x } from './dialects/zuora/zuora.module';\nexport const y = x;\n", rule)).toHaveLength(0);
    });
  });
});
