/** A token bucket's size: `limit` requests per `windowMs`, refilled continuously. */
export interface Rate {
  limit: number;
  windowMs: number;
}

/** Injection token of the parsed RateLimitSettings. */
export const RATE_LIMIT_SETTINGS = Symbol('RATE_LIMIT_SETTINGS');

export interface RateLimitSettings {
  defaultRate: Rate;
  overrides: ReadonlyMap<string, Rate>;
  tokenEndpointRate: Rate;
}

/** The config fields this reads; a structural type, so config.ts can call it without an import cycle. */
export interface RateLimitEnv {
  RATE_LIMIT_DEFAULT: string;
  RATE_LIMIT_OVERRIDES: string;
  RATE_LIMIT_TOKEN_ENDPOINT: string;
  RATE_LIMIT_REPLICAS: number;
}

const RATE = /^\s*(\d{1,9})\s*\/\s*(\d{0,9})\s*(ms|s|m|h)\s*$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const MAX_WINDOW_MS = 24 * 3_600_000;

/** Reads "100/10s", "5/s", "1000/1m"; returns a description of the problem instead when it is not one. */
export function parseRate(raw: string): Rate | string {
  const m = RATE.exec(raw);
  if (!m) return `"${raw}" is not <requests>/<window>, e.g. 100/10s (window unit ms, s, m or h)`;
  const limit = Number(m[1]);
  const windowMs = (m[2] === '' ? 1 : Number(m[2])) * UNIT_MS[m[3]];
  if (limit < 1) return `"${raw}": the request count must be at least 1`;
  if (windowMs < 1 || windowMs > MAX_WINDOW_MS) return `"${raw}": the window must be between 1ms and 24h`;
  return { limit, windowMs };
}

/**
 * The configured rates, divided by RATE_LIMIT_REPLICAS because every replica keeps its own
 * buckets (a client spread over N replicas would otherwise get N times its rate). A share never
 * drops below one request per window.
 */
export function parseRateLimitSettings(env: RateLimitEnv): { settings?: RateLimitSettings; problems: string[] } {
  const problems: string[] = [];
  const replicas = Math.max(1, Math.floor(env.RATE_LIMIT_REPLICAS || 1));
  const share = (r: Rate): Rate => ({ limit: Math.max(1, Math.floor(r.limit / replicas)), windowMs: r.windowMs });
  const read = (name: string, raw: string): Rate | undefined => {
    const r = parseRate(raw);
    if (typeof r === 'string') {
      problems.push(`${name}: ${r}`);
      return undefined;
    }
    return share(r);
  };
  const defaultRate = read('RATE_LIMIT_DEFAULT', env.RATE_LIMIT_DEFAULT);
  const tokenEndpointRate = read('RATE_LIMIT_TOKEN_ENDPOINT', env.RATE_LIMIT_TOKEN_ENDPOINT);
  const overrides = new Map<string, Rate>();
  if (env.RATE_LIMIT_OVERRIDES.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.RATE_LIMIT_OVERRIDES);
    } catch (e) {
      problems.push(`RATE_LIMIT_OVERRIDES: must be a JSON object like {"client-id":"1000/10s"} (${(e as Error).message})`);
    }
    if (parsed !== undefined && (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))) {
      problems.push('RATE_LIMIT_OVERRIDES: must be a JSON object like {"client-id":"1000/10s"}');
    } else if (parsed) {
      for (const [clientId, raw] of Object.entries(parsed as Record<string, unknown>)) {
        if (typeof raw !== 'string') {
          problems.push(`RATE_LIMIT_OVERRIDES: the rate of "${clientId}" must be a string like "1000/10s"`);
          continue;
        }
        const r = read(`RATE_LIMIT_OVERRIDES["${clientId}"]`, raw);
        if (r) overrides.set(clientId, r);
      }
    }
  }
  if (problems.length || !defaultRate || !tokenEndpointRate) return { problems };
  return { settings: { defaultRate, overrides, tokenEndpointRate }, problems };
}
