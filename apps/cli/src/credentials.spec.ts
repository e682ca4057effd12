import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { configDir, credentialsFile, deleteCredentials, loadCredentials, saveCredentials } from './credentials';

describe('credentials', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'asyncops-cli-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves the token readable by its owner only, loads it back and deletes it', () => {
    const home = path.join(dir, 'nested', 'asyncops');
    const c = { url: 'http://127.0.0.1:3000', clientId: 'dev-client', accessToken: 'tok', expiresAt: '2030-01-01T00:00:00.000Z' };
    const file = saveCredentials(c, home);
    expect(file).toBe(credentialsFile(home));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(loadCredentials(home)).toEqual(c);
    expect(deleteCredentials(home)).toBe(true);
    expect(loadCredentials(home)).toBeUndefined();
    expect(deleteCredentials(home)).toBe(false);
  });

  it('tightens a file that existed with looser permissions', () => {
    const file = credentialsFile(dir);
    writeFileSync(file, '{}', { mode: 0o644 });
    saveCredentials({ url: 'u', clientId: 'c', accessToken: 't', expiresAt: 'e' }, dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('treats an unreadable file as not signed in', () => {
    writeFileSync(credentialsFile(dir), 'not json');
    expect(loadCredentials(dir)).toBeUndefined();
  });

  it('finds the config directory from ASYNCOPS_CONFIG_DIR, then XDG_CONFIG_HOME', () => {
    expect(configDir({ ASYNCOPS_CONFIG_DIR: '/x/y' })).toBe('/x/y');
    if (process.platform !== 'win32') expect(configDir({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/asyncops');
  });
});
