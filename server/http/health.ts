import { Router } from 'express';

/** GET /healthz: 200 once the database answers, 503 when it does not. */
export function healthRouter(deps: { ping(): Promise<boolean>; startedAt: number }): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    let db = false;
    try {
      db = await deps.ping();
    } catch {
      db = false;
    }
    res.status(db ? 200 : 503).json({ ok: db, db: db ? 'open' : 'unavailable', uptimeMs: Date.now() - deps.startedAt });
  });
  return r;
}
