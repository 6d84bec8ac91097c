import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { createLogger } from '../logger.ts';
import { createHttpApp } from './app.ts';

const DEMO = fileURLToPath(new URL('../../examples/demo.html', import.meta.url));
let server: Server;
let base: string;
let dist: string;
let dbUp = true;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'parley-dist-'));
  writeFileSync(join(dist, 'widget.js'), 'console.log("loader")');
  mkdirSync(join(dist, 'admin', 'assets'), { recursive: true });
  writeFileSync(join(dist, 'admin', 'index.html'), '<!doctype html><title>admin</title>');
  writeFileSync(join(dist, 'admin', 'assets', 'app-abc123.js'), 'export {}');
  const api = Router();
  api.post('/echo', (req, res) => res.json({ ok: true, body: z.object({ n: z.number() }).parse(req.body) }));
  api.get('/conflict', () => {
    throw new AppError('conflict', 'Already taken over.');
  });
  api.get('/slow-down', () => {
    throw new AppError('rate_limited', 'Slow down.', { retryAfterMs: 2500 });
  });
  api.get('/crash', () => {
    throw new Error('secret internal detail');
  });
  const app = createHttpApp(
    { log: createLogger('silent'), ping: async () => dbUp, distDir: dist, demoTemplatePath: DEMO, publicUrl: null },
    [['/api/test', api]],
  );
  server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dist, { recursive: true, force: true });
});

describe('http app', () => {
  it('GET /healthz is 200 JSON while the database answers, 503 when it does not', async () => {
    const up = await fetch(`${base}/healthz`);
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ ok: true, db: 'open' });
    dbUp = false;
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    dbUp = true;
  });

  it('serves the widget loader as cross-origin JavaScript, and says how to build a missing panel', async () => {
    const res = await fetch(`${base}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(await res.text()).toBe('console.log("loader")');
    const panel = await fetch(`${base}/widget-panel.js`);
    expect(panel.status).toBe(404);
    expect(await panel.text()).toMatch(/npm run build/);
  });

  it("serves the widget's language tables as cross-origin JSON, and 404s a language it does not have", async () => {
    const res = await fetch(`${base}/widget-i18n/de.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const de = (await res.json()) as Record<string, string>;
    expect([de.send, de.closeLabel, de.launcherLabel]).toEqual(['Senden', 'Chat schließen', 'Chat öffnen']);
    for (const path of ['/widget-i18n/it.json', '/widget-i18n/de', '/widget-i18n/..%2Fpackage.json', '/widget-i18n/__proto__.json']) {
      const missing = await fetch(`${base}${path}`);
      expect(missing.status, path).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });

  it('serves the admin SPA: assets by name, any other /admin path gets index.html', async () => {
    const asset = await fetch(`${base}/admin/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    for (const path of ['/admin', '/admin/', '/admin/conversations/123']) {
      const page = await fetch(`${base}${path}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>admin</title>');
    }
  });

  it('the demo page embeds the widget from this server, with the snippet shown as text', async () => {
    const res = await fetch(`${base}/demo`);
    const html = await res.text();
    expect(html).toContain(`<script async src="${base}/widget.js" data-site="demo"></script>`);
    expect(html).toContain(`&#60;script async src=&#34;${base}/widget.js&#34; data-site=&#34;demo&#34;&#62;&#60;/script&#62;`);
    const nonce = html.match(/<script nonce="([^"]+)">/)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.headers.get('content-security-policy')).toContain(`'nonce-${nonce}'`);
  });

  it('answers errors with { ok: false, error: { code, message } } and a matching status', async () => {
    const get = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${base}${path}`, init);
      return { status: res.status, body: (await res.json()) as { ok: boolean; error: { code: string; message: string } }, res };
    };
    const missing = await get('/no/such/route');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
    const json = { method: 'POST', headers: { 'content-type': 'application/json' } };
    const badJson = await get('/api/test/echo', { ...json, body: '{nope' });
    expect([badJson.status, badJson.body.error.code]).toEqual([400, 'invalid_payload']);
    const badShape = await get('/api/test/echo', { ...json, body: '{"n":"one"}' });
    expect([badShape.status, badShape.body.error.code]).toEqual([400, 'invalid_payload']);
    const good = await get('/api/test/echo', { ...json, body: '{"n":1}' });
    expect(good.body).toEqual({ ok: true, body: { n: 1 } });
    const conflict = await get('/api/test/conflict');
    expect([conflict.status, conflict.body.error]).toEqual([409, { code: 'conflict', message: 'Already taken over.' }]);
    const limited = await get('/api/test/slow-down');
    expect([limited.status, limited.res.headers.get('retry-after')]).toEqual([429, '3']);
    const crash = await get('/api/test/crash');
    expect([crash.status, crash.body.error.code]).toEqual([500, 'internal']);
    expect(JSON.stringify(crash.body)).not.toContain('secret');
    const huge = await get('/api/test/echo', { ...json, body: JSON.stringify({ n: 1, pad: 'x'.repeat(2_000_000) }) });
    expect([huge.status, huge.body.error.code]).toEqual([413, 'invalid_payload']);
  });
});
