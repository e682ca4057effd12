import type { Config } from 'jest';
import { pathsToModuleNameMapper } from 'ts-jest';
import { compilerOptions } from './tsconfig.base.json';

const base = (displayName: string, rootDir: string): Config => ({
  displayName,
  rootDir,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: `${__dirname}/tsconfig.spec.json` }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: `${__dirname}/` }),
});

/** Unit tests live beside the code they test. */
export const unitConfig = (displayName: string, rootDir: string): Config => ({
  ...base(displayName, rootDir),
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
});

/**
 * Integration suites run against the real broker and database, two files at a time: most of a
 * suite's time is spent waiting (start-ups, deadlines, retries), and suites share nothing but the
 * servers (each has its own database, broker prefix and, for faults that change a server's global
 * state, a private broker or PostgreSQL).
 */
export const integrationConfig = (displayName: string, rootDir: string): Config => ({
  ...base(`${displayName}:integration`, rootDir),
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  testTimeout: 180_000,
  maxWorkers: 2,
  // Every afterAll gets a deadline; a hung teardown fails the suite instead of hanging the run.
  setupFilesAfterEnv: [`${__dirname}/libs/testing/src/teardown-guard.ts`],
});
