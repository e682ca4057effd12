import { isIP } from 'node:net';

/** The config fields this reads; structural, so config.ts can validate without an import cycle. */
export interface ProxyEnv {
  TRUST_PROXY: string;
  PUBLIC_BASE_URL: string;
  NODE_ENV: string;
}

/** Express's names for address ranges, accepted in TRUST_PROXY beside addresses and CIDRs. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY in Express's terms: `false` (empty: the peer is the client), a hop count (`1`: trust
 * the one proxy in front), or the addresses/CIDRs of the proxies whose X-Forwarded-* headers are
 * believed. Only a trusted peer's X-Forwarded-For, -Proto and -Host change the client address,
 * the scheme and the host the gateway sees.
 */
export function parseTrustProxy(raw: string): { value: false | number | string[]; problem?: string } {
  const text = raw.trim();
  if (text === '' || text === 'false') return { value: false };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 10) return { value: false, problem: `TRUST_PROXY: a hop count must be between 1 and 10 (got ${text})` };
    return { value: hops };
  }
  const entries = text.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !isTrustEntry(e));
  if (bad.length) {
    return {
      value: false,
      problem: `TRUST_PROXY: ${bad.map((b) => JSON.stringify(b.slice(0, 60))).join(', ')} is not a hop count, an IP address, a CIDR or one of loopback, linklocal, uniquelocal (e.g. TRUST_PROXY=1 or TRUST_PROXY=10.0.0.0/8,loopback)`,
    };
  }
  return { value: entries };
}

function isTrustEntry(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const slash = entry.indexOf('/');
  if (slash < 0) return isIP(entry) !== 0;
  const family = isIP(entry.slice(0, slash));
  const bits = entry.slice(slash + 1);
  if (family === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * PUBLIC_BASE_URL: the origin (and optional path prefix) clients reach the gateway at. When set,
 * every URL the gateway hands out (instance_url, identity URL, next-page links, resource URLs) is
 * built from it instead of the request's Host header. Production requires it, over https.
 */
export function publicBaseUrlProblems(env: ProxyEnv): string[] {
  const raw = env.PUBLIC_BASE_URL.trim();
  const production = env.NODE_ENV === 'production';
  if (raw === '') {
    return production
      ? ['PUBLIC_BASE_URL: must be set in production to the https URL clients use, e.g. https://api.example.com (instance_url and links are built from it, never from the Host header)']
      : [];
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return ['PUBLIC_BASE_URL: must be an absolute URL like https://api.example.com'];
  }
  const problems: string[] = [];
  if (url.protocol !== 'https:' && url.protocol !== 'http:') problems.push('PUBLIC_BASE_URL: must be an http or https URL');
  else if (production && url.protocol !== 'https:') problems.push('PUBLIC_BASE_URL: must be https in production (clients send their tokens to it)');
  if (url.search || url.hash || url.username || url.password) problems.push('PUBLIC_BASE_URL: must not carry a query, a fragment or credentials');
  return problems;
}

/** The configured base without a trailing slash, or undefined. */
export function normalisePublicBaseUrl(raw: string): string | undefined {
  const text = raw.trim();
  return text === '' ? undefined : text.replace(/\/+$/, '');
}
