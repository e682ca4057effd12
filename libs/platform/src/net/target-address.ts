import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses an outbound request on a client's behalf (a webhook) must never reach: the host
 * itself, the private networks around it, link-local (cloud metadata at 169.254.169.254),
 * carrier-grade NAT, multicast, broadcast, unspecified and reserved ranges, in IPv4 and IPv6.
 * IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) forms are judged by the
 * IPv4 address they carry.
 */
const RANGES: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'cgnat'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.0.2.0', 24, 'ipv4', 'reserved'],
  ['192.88.99.0', 24, 'ipv4', 'reserved'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved'],
  ['198.51.100.0', 24, 'ipv4', 'reserved'],
  ['203.0.113.0', 24, 'ipv4', 'reserved'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['100::', 64, 'ipv6', 'reserved'],
  ['2001:db8::', 32, 'ipv6', 'reserved'],
  ['fc00::', 7, 'ipv6', 'private'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'private'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const lists = new Map<string, BlockList>();
for (const [network, prefix, family, reason] of RANGES) {
  let list = lists.get(reason);
  if (!list) lists.set(reason, (list = new BlockList()));
  list.addSubnet(network, prefix, family);
}

/** The IPv4 address an IPv6 address carries in a well-known embedding, if any. */
function embeddedIpv4(ip: string): string | undefined {
  const lower = ip.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::|::ffff:0:|::)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (dotted) return dotted[1];
  const groups = expandIpv6(lower);
  if (!groups) return undefined;
  const asV4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  // ::ffff:7f00:1 (mapped), 64:ff9b::7f00:1 (NAT64), ::7f00:1 (deprecated compatible form)
  if (groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0xffff || groups[5] === 0)) return asV4(groups[6], groups[7]);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return asV4(groups[6], groups[7]);
  if (groups[0] === 0x2002) return asV4(groups[1], groups[2]);
  return undefined;
}

function expandIpv6(ip: string): number[] | undefined {
  if (isIP(ip) !== 6 || ip.includes('.')) return undefined;
  const [head, tail] = ip.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const a = parse(head);
  const b = parse(tail);
  const groups = ip.includes('::') ? [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b] : a;
  return groups.length === 8 ? groups : undefined;
}

/** Why `ip` may not be a webhook's destination (e.g. `loopback`), or null when it is a public address. */
export function forbiddenAddressReason(ip: string): string | null {
  const family = isIP(ip);
  if (family === 0) return 'not-an-address';
  if (family === 6) {
    for (const [reason, list] of lists) if (list.check(ip, 'ipv6')) return reason;
  }
  const v4 = family === 6 ? embeddedIpv4(ip) : ip;
  if (v4 === undefined) return null;
  const addr = v4 as string;
  if (addr === '255.255.255.255') return 'broadcast';
  for (const [reason, list] of lists) if (list.check(addr, 'ipv4')) return reason;
  return null;
}

/** A destination refused because of where it resolves (the message names the class, not the address). */
export class ForbiddenTargetError extends Error {
  readonly code = 'EFORBIDDENTARGET';
  constructor(readonly reason: string) {
    super(`the target resolves to a ${reason} address`);
    this.name = 'ForbiddenTargetError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request: resolves the host once and hands the socket only an address
 * that passed the check, so the address connected to is the address judged (no second
 * resolution a DNS rebinding could change). Any forbidden address among the answers refuses the
 * whole host, unless private targets are allowed (local development and tests only).
 */
export function guardedLookup(allowPrivate: boolean, resolve: typeof dnsLookup = dnsLookup) {
  return (hostname: string, options: LookupOptions | number | undefined, callback: LookupCallback): void => {
    const raw = typeof options === 'number' ? options : options?.family;
    const family = raw === 'IPv4' || raw === 4 ? 4 : raw === 'IPv6' || raw === 6 ? 6 : 0;
    resolve(hostname, { all: true, family }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      if (!allowPrivate) {
        for (const a of list) {
          const reason = forbiddenAddressReason(a.address);
          if (reason) return callback(new ForbiddenTargetError(reason) as unknown as NodeJS.ErrnoException, []);
        }
      }
      if (!list.length) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      if (typeof options === 'object' && options?.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/**
 * Resolves a URL's host as a delivery would and returns why it may not be a webhook target, or
 * null. Used at registration: the same rule is applied again, to the pinned address, at send time.
 */
export async function webhookTargetProblem(url: string, allowPrivate: boolean, resolve: typeof dnsLookup = dnsLookup): Promise<string | null> {
  if (allowPrivate) return null;
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) return forbiddenAddressReason(host);
  return new Promise((done) =>
    guardedLookup(false, resolve)(host, { all: true }, (err) => {
      if (!err) return done(null);
      done(err instanceof ForbiddenTargetError ? err.reason : 'unresolvable');
    }),
  );
}

/** WEBHOOK_ALLOW_PRIVATE_TARGETS=true opens the internal network to clients' URLs: never in production. */
export function webhookTargetConfigProblems(env: { NODE_ENV: string; WEBHOOK_ALLOW_PRIVATE_TARGETS: string }): string[] {
  return env.NODE_ENV === 'production' && env.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true'
    ? ['WEBHOOK_ALLOW_PRIVATE_TARGETS: must not be true in production (webhooks could reach internal services); unset it']
    : [];
}
