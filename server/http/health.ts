import { Router } from 'express';

export interface HealthDeps {
  /** true when the database answers */
  ping(): Promise<boolean>;
  startedAt: number;
  /** which database the store runs on (shown, not checked) */
  database?: 'sqlite' | 'postgres';
  /** REDIS_URL set: true when Redis answers */
  redis?: () => Promise<boolean>;
}

const answers = async (check: () => Promise<boolean>): Promise<boolean> => {
  try {
    return await check();
  } catch {
    return false;
  }
};

/**
 * GET /healthz: 200 once the database answers, 503 when it does not. With REDIS_URL it also says
 * whether Redis answers, without failing on it: while Redis is away an instance keeps serving
 * (rate limits per process, live fan-out resumes on reconnect), so a load balancer should not
 * take every instance out at once for it.
 */
export function healthRouter(deps: HealthDeps): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    const [db, redis] = await Promise.all([answers(deps.ping), deps.redis ? answers(deps.redis) : Promise.resolve(null)]);
    res.status(db ? 200 : 503).json({
      ok: db,
      db: db ? 'open' : 'unavailable',
      ...(deps.database ? { database: deps.database } : {}),
      ...(redis === null ? {} : { redis: redis ? 'up' : 'unavailable' }),
      uptimeMs: Date.now() - deps.startedAt,
    });
  });
  return r;
}
