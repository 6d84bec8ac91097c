import { Router } from 'express';

/** GET /healthz: 200 once the database answers, 503 when it does not. */
export function healthRouter(deps: { ping(): boolean; startedAt: number }): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    let db = false;
    try {
      db = deps.ping();
    } catch {
      db = false;
    }
    res.status(db ? 200 : 503).json({ ok: db, db: db ? 'open' : 'unavailable', uptimeMs: Date.now() - deps.startedAt });
  });
  return r;
}
