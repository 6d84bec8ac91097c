/**
 * Built front-end files from dist/: the widget loader and panel (embedded by other origins, so
 * cross-origin resource policy and short caching: their names carry no hash) and the admin SPA.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

const WIDGET_FILES = ['widget.js', 'widget-panel.js'] as const;

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
