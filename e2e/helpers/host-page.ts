/**
 * A customer's web page on an origin of our choosing (different from Parley's), pasting the
 * embed snippet. Bind it to 127.0.0.2 to get an origin the demo site does not allow: Linux
 * routes all of 127/8 to loopback, but the demo site only allows localhost and 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import { freePort } from './ports.ts';

export interface HostPageOptions {
  /** Parley's base URL, e.g. http://localhost:41234 */
  parleyUrl: string;
  /** address to listen on; the page's origin is http://<host>:<port> */
  host?: string;
  siteKey?: string;
  /** extra data-* attributes on the script tag, e.g. { flow: 'support' } */
  data?: Record<string, string>;
  /** inline script placed before the embed tag (e.g. early window.Parley calls) */
  before?: string;
  /** leave the embed tag out */
  withoutEmbed?: boolean;
  /** extra response headers for the page, e.g. a Content-Security-Policy */
  headers?: Record<string, string>;
  /** leave out the page's own inline <style> (so a strict CSP has nothing of the page's to refuse) */
  unstyled?: boolean;
}

export interface HostPage {
  url: string;
  origin: string;
  stop(): Promise<void>;
}

export function embedTag(o: Pick<HostPageOptions, 'parleyUrl' | 'siteKey' | 'data'>): string {
  const attrs = Object.entries({ site: o.siteKey ?? 'demo', ...o.data })
    .map(([k, v]) => ` data-${k}="${escapeAttr(v)}"`)
    .join('');
  return `<script async src="${escapeAttr(o.parleyUrl)}/widget.js"${attrs}></script>`;
}

export function hostPageHtml(o: HostPageOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Shoes</title>
<link rel="icon" href="data:,">
${o.unstyled ? '' : '<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:2rem;background:#f8fafc;color:#0f172a}main{max-width:40rem}</style>\n'}</head>
<body>
<main>
<h1>Acme Shoes</h1>
<p>A customer's page on another origin. The chat widget below comes from Parley.</p>
<p id="host-text">Host content stays usable while the widget loads.</p>
</main>
${o.before ? `<script>${o.before}</script>\n` : ''}${o.withoutEmbed ? '' : embedTag(o)}
</body>
</html>`;
}

export async function startHostPage(o: HostPageOptions): Promise<HostPage> {
  const host = o.host ?? '127.0.0.1';
  const port = await freePort(host);
  const html = hostPageHtml(o);
  const server: Server = createServer((req, res) => {
    if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...o.headers });
      res.end(html);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const origin = `http://${host}:${port}`;
  return {
    url: `${origin}/`,
    origin,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
