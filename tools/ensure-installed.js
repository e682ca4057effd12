#!/usr/bin/env node
// Runs the install step when dependencies are missing or older than the lockfile, so that
// `npm start` and `npm test` work as the first commands on a fresh clone. `npm ci` is tried
// first; npm can refuse it over optional packages of other platforms, then `npm install` does.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const marker = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');

const upToDate = existsSync(marker) && existsSync(lock) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
if (upToDate) process.exit(0);

const log = (msg) => process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', service: 'install', msg }) + '\n');
const npm = (args) => spawnSync('npm', args, { cwd: root, stdio: 'inherit', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } }).status === 0;

log('installing dependencies (npm ci)');
if (npm(['ci'])) process.exit(0);
log('npm ci refused the lockfile; falling back to npm install');
process.exit(npm(['install']) ? 0 : 1);
