import { CannedCreateBody, CannedQuery, CannedUpdateBody, FlowSaveBody, SiteCreateBody, SiteUpdateBody, type IdentitySecretReply } from '../../../shared/admin-api.ts';
import type { AdminServices } from './compose.ts';
import { intParam, param, parse } from './parse.ts';
import type { AnyRoute } from './route.ts';

/** Sites, their flows and canned responses: everyone signed in reads, owners change. */
export function siteRoutes(svc: AdminServices): AnyRoute[] {
  const id = (p: string | string[] | undefined) => param(p, 'id');
  // teams: an agent sees only the sites their teams cover
  const access = svc.respond.access;
  const seen = async (p: string | string[] | undefined, actor: Parameters<typeof access.assertSite>[0]) => {
    await access.assertSite(actor, id(p));
    return id(p);
  };
  return [
    { method: 'get', path: '/sites', access: 'signed-in', handle: async (_req, _res, { actor }) => {
        const scope = await access.scope(actor);
        return { sites: (await svc.sites.list()).filter((s) => scope === null || scope.includes(s.id)) };
      },
    },
    { method: 'post', path: '/sites', access: 'owner', handle: (req, _res, { actor }) => svc.sites.create(parse(SiteCreateBody, req.body), actor) },
    { method: 'get', path: '/sites/:id', access: 'signed-in', handle: async (req, _res, { actor }) => ({ site: await svc.sites.get(await seen(req.params.id, actor)) }) },
    {
      method: 'patch',
      path: '/sites/:id',
      access: 'owner',
      handle: async (req, _res, { actor }) => ({ site: await svc.sites.update(id(req.params.id), parse(SiteUpdateBody, req.body), actor) }),
    },
    {
      method: 'post',
      path: '/sites/:id/token',
      access: 'owner',
      handle: async (req, _res, { actor }) => ({ apiToken: await svc.sites.rotateToken(id(req.params.id), actor) }),
    },
    {
      method: 'get',
      path: '/sites/:id/identity-secret',
      access: 'owner',
      handle: async (req, _res, { actor }) => ({ identitySecret: await svc.sites.identitySecret(id(req.params.id), actor) }) satisfies IdentitySecretReply,
    },
    {
      method: 'post',
      path: '/sites/:id/identity-secret',
      access: 'owner',
      handle: async (req, _res, { actor }) => ({ identitySecret: await svc.sites.rotateIdentitySecret(id(req.params.id), actor) }) satisfies IdentitySecretReply,
    },
    { method: 'get', path: '/sites/:id/flows', access: 'signed-in', handle: async (req, _res, { actor }) => ({ flows: await svc.flows.list(await seen(req.params.id, actor)) }) },
    {
      method: 'get',
      path: '/sites/:id/flows/:flowId',
      access: 'signed-in',
      handle: async (req, _res, { actor }) => svc.flows.get(await seen(req.params.id, actor), param(req.params.flowId, 'flowId')),
    },
    {
      method: 'put',
      path: '/sites/:id/flows/:flowId',
      access: 'owner',
      handle: (req, _res, { actor }) =>
        svc.flows.save(id(req.params.id), param(req.params.flowId, 'flowId'), parse(FlowSaveBody, req.body).json, actor),
    },
    {
      method: 'delete',
      path: '/sites/:id/flows/:flowId',
      access: 'owner',
      async handle(req, _res, { actor }) {
        await svc.flows.remove(id(req.params.id), param(req.params.flowId, 'flowId'), actor);
        return {};
      },
    },
    { method: 'get', path: '/canned', access: 'signed-in', handle: async (req) => ({ canned: await svc.canned.list(parse(CannedQuery, req.query).siteId) }) },
    { method: 'post', path: '/canned', access: 'owner', handle: async (req) => ({ canned: await svc.canned.create(parse(CannedCreateBody, req.body)) }) },
    {
      method: 'patch',
      path: '/canned/:id',
      access: 'owner',
      handle: async (req) => ({ canned: await svc.canned.update(intParam(req.params.id, 'id'), parse(CannedUpdateBody, req.body)) }),
    },
    {
      method: 'delete',
      path: '/canned/:id',
      access: 'owner',
      async handle(req) {
        await svc.canned.remove(intParam(req.params.id, 'id'));
        return {};
      },
    },
  ];
}
