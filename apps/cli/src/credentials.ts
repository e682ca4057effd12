import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

export interface Credentials {
  url: string;
  clientId: string;
  accessToken: string;
  /** ISO time the token stops working. */
  expiresAt: string;
}

/** `$ASYNCOPS_CONFIG_DIR`, else `$XDG_CONFIG_HOME/asyncops`, else `~/.config/asyncops` (`%APPDATA%\asyncops` on Windows). */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ASYNCOPS_CONFIG_DIR) return env.ASYNCOPS_CONFIG_DIR;
  if (process.platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, 'asyncops');
  return path.join(env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), 'asyncops');
}

export const credentialsFile = (dir = configDir()) => path.join(dir, 'credentials.json');

/** Writes the token readable by its owner only (directory 0700, file 0600), whatever the umask. */
export function saveCredentials(c: Credentials, dir = configDir()): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = credentialsFile(dir);
  writeFileSync(file, JSON.stringify(c, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

export function loadCredentials(dir = configDir()): Credentials | undefined {
  const file = credentialsFile(dir);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
  } catch {
    return undefined;
  }
}

export function deleteCredentials(dir = configDir()): boolean {
  const file = credentialsFile(dir);
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}
