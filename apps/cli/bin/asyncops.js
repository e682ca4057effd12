#!/usr/bin/env node
// The asyncops command. Runs the compiled CLI (dist/, made by `npm run build`) when it is there
// and up to date, else the TypeScript source through ts-node (a checkout that was not built).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
const built = path.join(root, 'dist/apps/cli/src/cli.js');
const source = path.join(root, 'apps/cli/src/cli.ts');
const fresh = () => {
  try {
    const sources = fs.readdirSync(path.dirname(source)).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    const builtAt = fs.statSync(built).mtimeMs;
    return sources.every((f) => fs.statSync(path.join(path.dirname(source), f)).mtimeMs <= builtAt);
  } catch {
    return !fs.existsSync(source) && fs.existsSync(built);
  }
};

let cli;
if (process.env.ASYNCOPS_CLI_FROM_SOURCE !== '1' && fresh()) {
  cli = require(built);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  cli = require(source);
}
cli.main(process.argv).then((code) => {
  process.exitCode = code;
});
