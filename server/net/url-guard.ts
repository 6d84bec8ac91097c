/**
 * Server-side request forgery guard for URLs an admin or a customer gives us (webhook
 * endpoints, feeds). A URL is refused when its host is, or resolves to, a private, loopback,
 * link-local, multicast or otherwise non-public address: every resolved address is checked, not
 * just the first. `guardedLookup` does the same check at connect time and hands the socket only
 * the addresses it checked, so a DNS answer that changes between the check and the request
 * (rebinding) cannot slip through.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { LookupFunction } from 'node:net';

export class UrlRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UrlRefused';
  }
}

export interface UrlGuardOptions {
  /** the owner allowed private targets (an intranet receiver; tests on 127.0.0.1) */
  allowPrivate?: boolean;
}

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/** true for an address no outside receiver can have (loopback, private, link-local, ...) */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  // IPv4-mapped (::ffff:10.0.0.1) and IPv4-compatible forms are judged by the IPv4 address
  const mapped = /^(?:0*:)*:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
  const hexMapped = /^(?:0*:)*:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hexMapped?.[1] && hexMapped[2]) {
    const hi = parseInt(hexMapped[1], 16);
    const lo = parseInt(hexMapped[2], 16);
    return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  return blocked.check(address, 'ipv6');
}

/** http(s) only, no credentials in the URL; throws UrlRefused */
export function parseHttpUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UrlRefused('not a valid URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UrlRefused('only http and https URLs are allowed');
  if (u.username || u.password) throw new UrlRefused('credentials in the URL are not allowed');
  return u;
}

const bareHost = (u: URL) => u.hostname.replace(/^\[|\]$/g, '');

/**
 * Refuse a URL whose host is or resolves to a non-public address (unless allowed). Resolves the
 * host now; call it when a URL is saved and again before each request (or use guardedLookup).
 */
export async function assertPublicUrl(url: string, opts: UrlGuardOptions = {}): Promise<URL> {
  const u = parseHttpUrl(url);
  if (opts.allowPrivate) return u;
  const host = bareHost(u);
  if (host === 'localhost' || host.endsWith('.localhost')) throw new UrlRefused(`${host} is a loopback host`);
  const addresses = isIP(host) ? [host] : await resolveAll(host);
  for (const a of addresses) if (isPrivateAddress(a)) throw new UrlRefused(`${host} resolves to a private or loopback address (${a})`);
  return u;
}

async function resolveAll(host: string): Promise<string[]> {
  let found: LookupAddress[];
  try {
    found = await dns.lookup(host, { all: true, verbatim: true });
  } catch {
    throw new UrlRefused(`${host} does not resolve`);
  }
  if (found.length === 0) throw new UrlRefused(`${host} does not resolve`);
  return found.map((a) => a.address);
}

/**
 * A `lookup` for http.request / net.connect that refuses the connection when any resolved
 * address is non-public (unless allowed), and returns only checked addresses.
 */
export function guardedLookup(opts: UrlGuardOptions = {}): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as LookupAddress[];
      if (!opts.allowPrivate) {
        const bad = list.find((a) => isPrivateAddress(a.address));
        if (bad || list.length === 0) {
          return callback(new UrlRefused(`${hostname} resolves to a private or loopback address${bad ? ` (${bad.address})` : ''}`), '', 4);
        }
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
}
