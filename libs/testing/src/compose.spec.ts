import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadCompose, READ_ONLY_URL_OPTION, readDatabaseUrlProblems, serviceEnvironment } from './compose';

describe('loadCompose renders through Docker Compose', () => {
  let dir: string;
  const write = (text: string) => {
    const file = path.join(dir, 'docker-compose.yml');
    writeFileSync(file, text);
    return file;
  };

  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'compose-spec-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies defaults, given variables and escapes as Compose does, ignoring a .env beside the file', () => {
    writeFileSync(path.join(dir, '.env'), 'LEVEL=from-dotenv\n');
    const file = write(['version: "3.8"', 'services:', '  app:', '    image: node', '    build: .', '    environment:', '      LEVEL: ${LEVEL:-info}', '      PORT: ${PORT:-3000}', '      PRICE: "$$5"'].join('\n'));
    expect(serviceEnvironment(loadCompose({ file }).services.app)).toEqual({ LEVEL: 'info', PORT: '3000', PRICE: '$5' });
    expect(serviceEnvironment(loadCompose({ file, variables: { PORT: '8080' } }).services.app)).toMatchObject({ PORT: '8080' });
    expect(loadCompose({ file }).services.app.build).toMatchObject({ context: '.' });
  });

  it('refuses a variable without a default', () => {
    const file = write(['version: "3.8"', 'services:', '  app:', '    image: node', '    environment:', '      SECRET: ${SECRET}'].join('\n'));
    expect(() => loadCompose({ file })).toThrow(/SECRET without a default/);
  });

  it('refuses a file Compose itself rejects', () => {
    const file = write(['version: "3.8"', 'services:', '  app:', '    image: node', '    depends_on: [nowhere]'].join('\n'));
    expect(() => loadCompose({ file })).toThrow(/docker-compose config refused/);
  });
});

describe('readDatabaseUrlProblems', () => {
  const readOnly = `options=${encodeURIComponent(READ_ONLY_URL_OPTION)}`;

  it('accepts the compose database on sessions opened read-only, beside other options', () => {
    expect(readDatabaseUrlProblems(`postgres://u:p@postgres:5432/asyncops?${readOnly}`, 'postgres', 'asyncops')).toEqual([]);
    expect(readDatabaseUrlProblems(`postgres://u:p@postgres:5432/asyncops?options=${encodeURIComponent(`-c search_path=x ${READ_ONLY_URL_OPTION}`)}`, 'postgres', 'asyncops')).toEqual([]);
  });

  it('refuses a missing URL, another host or database, and sessions that may write', () => {
    expect(readDatabaseUrlProblems(undefined, 'postgres', 'asyncops')).toEqual(['READ_DATABASE_URL is not set']);
    expect(readDatabaseUrlProblems(`postgres://u@elsewhere:5432/other?${readOnly}`, 'postgres', 'asyncops')).toHaveLength(2);
    expect(readDatabaseUrlProblems('postgres://u@postgres:5432/asyncops', 'postgres', 'asyncops')).toEqual([expect.stringMatching(/must open sessions read-only/)]);
    expect(readDatabaseUrlProblems(`postgres://u@postgres:5432/asyncops?options=${encodeURIComponent('-c default_transaction_read_only=off')}`, 'postgres', 'asyncops')).toHaveLength(1);
  });
});
