import { AuditQuery, JobsQuery } from '../../../shared/admin-api.ts';
import type { AdminServices } from './compose.ts';
import { param, parse } from './parse.ts';
import type { AnyRoute } from './route.ts';

/** Operations: forgetting a visitor, retention and the audit log (owners); the job queue (everyone signed in). */
export function opsRoutes(svc: AdminServices): AnyRoute[] {
  return [
    {
      method: 'delete',
      path: '/visitors/:id',
      access: 'owner',
      handle: (req, _res, { actor }) => svc.privacy.forgetVisitor(param(req.params.id, 'id'), actor),
    },
    { method: 'post', path: '/retention/run', access: 'owner', handle: () => svc.privacy.sweepRetention() },
    // the queue is read-only here, and agents see when extraction is stuck
    { method: 'get', path: '/jobs', access: 'signed-in', handle: async (req) => ({ jobs: await svc.store.admin.jobs.list(parse(JobsQuery, req.query)) }) },
    {
      method: 'get',
      path: '/audit',
      access: 'owner',
      async handle(req) {
        const q = parse(AuditQuery, req.query);
        return { entries: await svc.store.admin.audit.list(q.limit, q.before) };
      },
    },
  ];
}
