/**
 * Built front-end files from dist/: the widget loader and panel (embedded by other origins, so
 * cross-origin resource policy and short caching: their names carry no hash) and the admin SPA.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { WIDGET_LANGS, type WidgetLang } from '../../shared/widget-i18n/langs.ts';
import { WIDGET_STRING_TABLES } from '../../shared/widget-i18n/tables.ts';

const WIDGET_FILES = ['widget.js', 'widget-panel.js'] as const;

const isWidgetLang = (lang: string | undefined): lang is WidgetLang => (WIDGET_LANGS as readonly (string | undefined)[]).includes(lang);

export function staticRouter(distDir: string): Router {
  const r = Router();
  for (const file of WIDGET_FILES) {
    r.get(`/${file}`, (_req, res, next) => {
      const path = join(distDir, file);
      if (!existsSync(path)) {
        res.status(404).type('text/plain').send(`/${file} is not built yet: run "npm run build".`);
        return;
      }
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.sendFile(path, { headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300' } }, (err) => {
        if (err) next(err);
      });
    });
  }

  // the panel's non-English tables, fetched on demand so the panel itself carries English only
  r.get('/widget-i18n/:file', (req, res, next) => {
    const lang = /^([a-z]{2})\.json$/.exec(req.params.file)?.[1];
    if (!isWidgetLang(lang)) return next(); // the 404 { ok: false, error: not_found } body
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(WIDGET_STRING_TABLES[lang]);
  });

  const adminDir = join(distDir, 'admin');
  // hashed asset names: cache them for long; index.html always revalidates
  r.use('/admin', express.static(adminDir, { index: false, immutable: true, maxAge: '30d', fallthrough: true }));
  r.get(['/admin', '/admin/{*rest}'], (_req, res, next) => {
    const index = join(adminDir, 'index.html');
    if (!existsSync(index)) {
      res.status(404).type('text/plain').send('The admin page is not built yet: run "npm run build".');
      return;
    }
    res.sendFile(index, { headers: { 'Cache-Control': 'no-cache' } }, (err) => {
      if (err) next(err);
    });
  });
  return r;
}
