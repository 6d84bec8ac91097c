/**
 * GET /demo: a host page with the embed snippet, pointing at this server. Only the server's own
 * URL is filled in (HTML-escaped); nothing from the request body or query reaches the page.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Router, type Request } from 'express';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** the address and port this request reached (the listening socket), as an http(s) origin */
function listeningUrl(req: Request): string {
  const { localAddress, localPort } = req.socket;
  const scheme = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
  const address = localAddress?.startsWith('::ffff:') ? localAddress.slice(7) : (localAddress ?? '127.0.0.1');
  return `${scheme}://${address.includes(':') ? `[${address}]` : address}:${localPort ?? 80}`;
}

export const DEMO_USER_ID = 'demo-user-1';

export function demoRouter(opts: { templatePath: string; publicUrl: string | null; siteKey: string; userHash?: () => Promise<string | null> }): Router {
  const r = Router();
  let template: string | null = null;
  // never the Host header: anyone can send one, and it would become the page's script URL and CSP
  const baseUrl = (req: Request) => opts.publicUrl ?? listeningUrl(req);
  r.get('/', (_req, res) => res.redirect(302, '/demo'));
  r.get('/demo', async (req, res) => {
    const hash = (await opts.userHash?.()) ?? '';
    template ??= readFileSync(opts.templatePath, 'utf8');
    const url = baseUrl(req);
    const snippet = `<script async src="${url}/widget.js" data-site="${opts.siteKey}"></script>`;
    const nonce = randomBytes(16).toString('base64');
    const origin = new URL(url).origin;
    const ws = origin.replace(/^http/, 'ws');
    // the page's one inline script (the window.Parley queue stub) runs by nonce; nothing else inline does
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'self'; script-src 'self' ${origin} 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; ` +
        `connect-src 'self' ${origin} ${ws}; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'`,
    );
    const html = template
      .replaceAll('{{NONCE}}', nonce)
      .replaceAll('{{PARLEY_URL}}', escapeHtml(url))
      .replaceAll('{{SITE_KEY}}', escapeHtml(opts.siteKey))
      .replaceAll('{{DEMO_USER_HASH}}', hash.replace(/[^0-9a-f]/g, ''))
      .replaceAll('{{SNIPPET}}', escapeHtml(snippet));
    res.type('html').setHeader('Cache-Control', 'no-cache').send(html);
  });
  return r;
}
