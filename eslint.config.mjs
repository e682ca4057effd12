import nx from '@nx/eslint-plugin';
import jsxA11y from 'eslint-plugin-jsx-a11y';

const frameworks = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'amqplib',
  'class-validator',
  'class-transformer',
  'express',
  'rxjs',
  'reflect-metadata',
];

/**
 * Two axes: `type:` says what a project may build on, `scope:` which service may use it.
 * Apps sit on top; libs never reach up into an app; domain code stays framework-free.
 */
const depConstraints = (allowTesting) => {
  const testing = allowTesting ? ['type:testing'] : [];
  return [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:data-access', 'type:util', ...testing],
  },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:data-access', 'type:util', ...testing] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:domain', 'type:util', ...testing] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: frameworks },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:data-access', 'type:util', 'type:testing'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
  { sourceTag: 'scope:tracker', onlyDependOnLibsWithTags: ['scope:tracker', 'scope:shared'] },
  { sourceTag: 'scope:order-placement', onlyDependOnLibsWithTags: ['scope:order-placement', 'scope:shared'] },
  { sourceTag: 'scope:importer', onlyDependOnLibsWithTags: ['scope:importer', 'scope:shared'] },
  { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:cli', 'scope:shared'] },
  ];
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', 'tmp', 'coverage', 'bench-results', '**/jest.config.ts', '**/jest.integration.config.ts'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints(false) },
      ],
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Test code may use the testing lib and print; production code may not.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**/*.ts', 'tools/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints(true) },
      ],
      'no-console': 'off',
    },
  },
  {
    // The gateway's core (auth, HTTP edge, errors, idempotency, limits, live events, webhooks) knows
    // no dialect: dialects build on it and register what differs (ARCHITECTURE.md).
    files: ['apps/gateway/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)dialects(/|$)',
              message: 'apps/gateway/src/core must not import a dialect; let the dialect register what it needs in the DialectRegistry instead.',
            },
          ],
        },
      ],
    },
  },
  {
    // The web console runs in the browser: accessibility rules on its JSX.
    files: ['apps/console/src/**/*.tsx'],
    ...jsxA11y.flatConfigs.strict,
    languageOptions: { ...jsxA11y.flatConfigs.strict.languageOptions, parserOptions: { ecmaFeatures: { jsx: true } } },
    rules: {
      ...jsxA11y.flatConfigs.strict.rules,
      // A scrollable region must be focusable to be scrolled from the keyboard (WCAG 2.1.1).
      'jsx-a11y/no-noninteractive-tabindex': ['error', { roles: ['tabpanel', 'region'], tags: [] }],
    },
  },
];
