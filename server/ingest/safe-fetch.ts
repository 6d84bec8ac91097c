/**
 * GET with the URL guard on every hop (redirects are followed by hand, at most 3), a time limit,
 * a size limit, and conditional-GET validators (ETag / Last-Modified).
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { parseHttpUrl, guardedLookup, isPrivateAddress, UrlRefused } from '../net/url-guard.ts';

/** sockets skip the DNS lookup (and so the guard in it) for literal addresses: check those here */
function checkLiteral(url: URL, allowPrivate: boolean): URL {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && isIP(host) && isPrivateAddress(host)) {
    throw new UrlRefused(`${host} is a private address; set PARLEY_FEEDS_ALLOW_PRIVATE=true to allow`);
  }
  return url;
}

export interface FetchOptions {
  allowPrivate: boolean;
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface FetchResult {
  status: number;
  body: string;
  etag: string | null;
  lastModified: string | null;
  url: string;
}

export class FetchError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

function once(url: URL, opts: FetchOptions): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const headers: Record<string, string> = {
    'user-agent': 'Parley feed reader (+https://github.com/)',
    accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5',
  };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method: 'GET', headers, lookup: guardedLookup({ allowPrivate: opts.allowPrivate }), timeout: opts.timeoutMs ?? 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          req.destroy(new FetchError(`the response is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`, res.statusCode ?? null));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new FetchError('timed out')));
    req.on('error', reject);
    req.end();
  });
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null));

export async function guardedGet(rawUrl: string, opts: FetchOptions): Promise<FetchResult> {
  let url = checkLiteral(parseHttpUrl(rawUrl), opts.allowPrivate);
  for (let hop = 0; hop <= 3; hop++) {
    let r;
    try {
      r = await once(url, opts);
    } catch (err) {
      // the guarded lookup refuses private addresses with UrlRefused
      if (err instanceof UrlRefused || err instanceof FetchError) throw err;
      const e = err as NodeJS.ErrnoException;
      throw new FetchError(e.code ? `${e.code}: ${e.message}` : e.message);
    }
    if (r.status >= 300 && r.status < 400 && r.status !== 304 && r.headers.location) {
      url = checkLiteral(parseHttpUrl(new URL(r.headers.location, url).href), opts.allowPrivate);
      continue;
    }
    return { status: r.status, body: r.body, etag: header(r.headers.etag), lastModified: header(r.headers['last-modified']), url: url.href };
  }
  throw new FetchError('too many redirects');
}
