/**
 * The client's address behind zero or more reverse proxies. `PARLEY_TRUST_PROXY` names how many
 * hops (or which proxy addresses) to trust; the address is then read from the right of
 * X-Forwarded-For, skipping only trusted proxies. The left-most entry is whatever the client wrote
 * and is never believed on its own. Express (`trust proxy`), the socket.io handshakes and the
 * login limits all use this one rule.
 */
import proxyaddr from 'proxy-addr';

/** false: no proxy; a number: that many proxy hops in front of us; a list: proxy addresses or CIDRs */
export type TrustProxy = false | number | string[];

/** the value for express's `trust proxy` setting */
export function expressTrust(trust: TrustProxy): boolean | number | string[] {
  return trust === false ? false : trust;
}

/** throws on an address list proxy-addr cannot read (config validation uses it) */
export function compileTrust(trust: TrustProxy): (addr: string, i: number) => boolean {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_addr, i) => i < trust;
  return proxyaddr.compile(trust);
}

export function clientAddress(remoteAddress: string, headers: Record<string, string | string[] | undefined>, trust: TrustProxy): string {
  if (trust === false) return remoteAddress;
  const forwarded = headers['x-forwarded-for'];
  const req = { connection: { remoteAddress }, headers: { 'x-forwarded-for': Array.isArray(forwarded) ? forwarded.join(',') : forwarded } };
  return proxyaddr(req as unknown as Parameters<typeof proxyaddr>[0], compileTrust(trust));
}
