import { timingSafeEqual } from 'node:crypto';

/** Everything the next page needs; the locator is stateless, so any replica can serve it. */
export interface LocatorState {
  /** The SOQL text, re-planned per page. */
  q: string;
  /** queryAll rather than query. */
  all: boolean;
  /** Rows already returned. */
  offset: number;
  totalSize: number;
  snapshot: number;
  batch: number;
  /** The planning instant, so TODAY and friends mean the same on every page. */
  now: number;
  /** When this page's locator was handed out; a locator unused for the TTL is expired. */
  issued?: number;
}

/** Salesforce lets an unused query locator lapse after 15 minutes. */
export const DEFAULT_LOCATOR_TTL_MS = 15 * 60_000;

/**
 * `<payload>.<mac>-<offset>`: the payload is readable but bound to the client by the MAC, so a
 * locator cannot be forged, altered or replayed by another client. The trailing `-<offset>` is
 * Salesforce's own locator layout, which some tools read.
 */
export class QueryLocators {
  constructor(
    private readonly mac: (data: string) => string,
    private readonly ttlMs: number = DEFAULT_LOCATOR_TTL_MS,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  encode(clientId: string, state: LocatorState): string {
    const payload = Buffer.from(JSON.stringify({ ...state, issued: this.clock() })).toString('base64url');
    return `${payload}.${this.mac(`${clientId}|${payload}`)}-${state.offset}`;
  }

  /** Undefined for anything this gateway (or a replica with the same secret) did not issue to this client, or issued longer than the TTL ago. */
  decode(clientId: string, locator: string): LocatorState | undefined {
    const dash = locator.lastIndexOf('-');
    const dot = locator.indexOf('.');
    if (dash < 0 || dot < 0 || dot > dash || locator.length > 20_000) return undefined;
    const payload = locator.slice(0, dot);
    const mac = Buffer.from(locator.slice(dot + 1, dash));
    const expected = Buffer.from(this.mac(`${clientId}|${payload}`));
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
    try {
      const state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LocatorState;
      if (String(state.offset) !== locator.slice(dash + 1)) return undefined;
      return this.clock() - (state.issued ?? state.now) <= this.ttlMs ? state : undefined;
    } catch {
      return undefined;
    }
  }
}
