'use strict';
/**
 * Maps the `@asyncops/<lib>` path aliases to the compiled libraries in dist/, so the output of
 * `npm run build` runs with plain Node:
 *
 *   node -r ./tools/register-paths.js dist/apps/<app>/src/main.js
 *
 * tsconfig.base.json maps the aliases to TypeScript sources for the compiler, ts-node and jest;
 * at runtime they must point at the emitted JavaScript instead.
 */
const path = require('node:path');
const { register } = require('tsconfig-paths');

register({
  baseUrl: path.resolve(__dirname, '..', 'dist'),
  paths: { '@asyncops/*': ['libs/*/src/index.js'] },
  addMatchAll: false,
});
