/**
 * Holes 5, 9 and 10: client mistakes are 4xx (never 500, never logged as server errors), the admin
 * API's own 300 KB body limit applies, and /demo never builds its page from the Host header.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../http/app.ts';
import { adminKit, type AdminKit } from '../http/admin/test-kit.ts';
import { captureLog } from './log-sink.ts';

const DEMO = fileURLToPath(new URL('../../examples/demo.html', import.meta.url));
const sink = captureLog();
let server: Server;
let port: number;
let base: string;
let dist: string;

/** a raw request: fetch() would normalise the path and the Host header away */
function raw(opts: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers ?? {}, setHost: !opts.headers?.host }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'parley-dist-'));
  writeFileSync(join(dist, 'widget.js'), 'console.log("loader")');
  mkdirSync(join(dist, 'admin', 'assets'), { recursive: true });
  writeFileSync(join(dist, 'admin', 'index.html'), '<!doctype html><title>admin</title>');
  writeFileSync(join(dist, 'admin', 'assets', 'app-abc123.js'), 'export {}');
  const api = Router();
  api.get('/item/:id', (req, res) => res.json({ ok: true, id: req.params.id }));
  api.post('/echo', (req, res) => res.json({ ok: true, body: req.body as unknown }));
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  const app = createHttpApp({ log: sink.log, ping: async () => true, distDir: dist, demoTemplatePath: DEMO, publicUrl: null }, [['/api/test', api]]);
  server.on('request', app);
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dist, { recursive: true, force: true });
});

describe('client mistakes are answered 4xx and not logged as server errors', () => {
  it('malformed percent-encoding in a path parameter and in a static path is a 400', async () => {
    const before = sink.errors().length;
    const a = await raw({ path: '/api/test/item/%E0%A4%A' });
    expect(a.status).toBe(400);
    expect(JSON.parse(a.body)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const b = await raw({ path: '/admin/assets/%E0%A4%A.js' });
    expect(b.status).toBeGreaterThanOrEqual(400);
    expect(b.status).toBeLessThan(500);
    expect(sink.errors().length).toBe(before);
  });

  it('an unsatisfiable Range on a static file is a 416, not a 500', async () => {
    const before = sink.errors().length;
    const a = await raw({ path: '/widget.js', headers: { range: 'bytes=999999-1000000' } });
    expect(a.status).toBe(416);
    const b = await raw({ path: '/admin/assets/app-abc123.js', headers: { range: 'bytes=5000-6000' } });
    expect(b.status).toBe(416);
    const c = await raw({ path: '/admin/conversations', headers: { range: 'bytes=5000-6000' } });
    expect(c.status).toBe(416);
    expect(sink.errors().length).toBe(before);
  });

  it('a gzip Content-Encoding with a plain body is a 400; a real gzip body still works', async () => {
    const before = sink.errors().length;
    const bad = await raw({ method: 'POST', path: '/api/test/echo', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: '{"n":1}' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const unknown = await raw({ method: 'POST', path: '/api/test/echo', headers: { 'content-type': 'application/json', 'content-encoding': 'x-weird' }, body: '{"n":1}' });
    expect(unknown.status).toBe(415);
    const good = await raw({ method: 'POST', path: '/api/test/echo', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync('{"n":1}') });
    expect(good.status).toBe(200);
    expect(JSON.parse(good.body)).toMatchObject({ body: { n: 1 } });
    expect(sink.errors().length).toBe(before);
  });

  it('/demo with an invalid Host header is answered, not a 500', async () => {
    const before = sink.errors().length;
    for (const host of ['exa mple.com', 'a:b:c:d', '[::1', 'x/y']) {
      const r = await raw({ path: '/demo', headers: { host } });
      expect(r.status, host).toBeLessThan(500);
    }
    expect(sink.errors().length).toBe(before);
  });
});

describe('/demo when PARLEY_PUBLIC_URL is unset (hole 10)', () => {
  it('builds the script URL and the CSP from the listening address, never from the Host header', async () => {
    const r = await raw({ path: '/demo', headers: { host: 'evil.example:666' } });
    expect(r.status).toBe(200);
    expect(r.body).not.toContain('evil.example');
    expect(String(r.headers['content-security-policy'])).not.toContain('evil.example');
    expect(r.body).toContain(`${base}/widget.js`);
    expect(String(r.headers['content-security-policy'])).toContain(base);
  });
});

describe('the admin API body limit (hole 9)', () => {
  let kit: AdminKit;
  let appServer: Server;
  let appBase: string;
  beforeAll(async () => {
    kit = await adminKit();
    // the admin router mounted in the real app, behind the app-wide 1 MB parser
    const { createAdminRouter } = await import('../http/admin/router.ts');
    const app = createHttpApp({ log: sink.log, ping: async () => true, distDir: dist, demoTemplatePath: DEMO, publicUrl: null }, [['/api/admin', createAdminRouter(kit.svc)]]);
    appServer = createServer(app);
    await new Promise<void>((r) => appServer.listen(0, '127.0.0.1', r));
    appBase = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => appServer.close(r));
    await kit.close();
  });

  it('a 500 KB JSON body to /api/admin is refused as too large (413) even though the app-wide limit is 1 MB', async () => {
    const body = JSON.stringify({ email: 'owner@acme.test', password: 'x'.repeat(500_000) });
    const r = await fetch(`${appBase}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(r.status).toBe(413);
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    // under the limit it is read (and answered as a wrong password, not as too large)
    const small = await fetch(`${appBase}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@acme.test', password: 'wrong-password' }) });
    expect(small.status).toBe(401);
  });
});
