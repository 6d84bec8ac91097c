import { FollowUpsQuery, TeamInput, WebhookCreateBody, WebhookUpdateBody } from '../../../shared/respond.ts';
import { RuleInput, RuleMoveBody } from '../../../shared/rules.ts';
import type { AdminServices } from './compose.ts';
import { param, parse } from './parse.ts';
import type { AnyRoute } from './route.ts';

/** Routing rules, teams, the follow-ups inbox and webhooks: agents read what their teams cover, owners change. */
export function respondRoutes(svc: AdminServices): AnyRoute[] {
  const r = svc.respond;
  const id = (p: string | string[] | undefined) => param(p, 'id');
  return [
    {
      method: 'get',
      path: '/sites/:id/rules',
      access: 'signed-in',
      async handle(req, _res, { actor }) {
        await r.access.assertSite(actor, id(req.params.id));
        return { rules: await r.rules.list(id(req.params.id)) };
      },
    },
    { method: 'post', path: '/sites/:id/rules', access: 'owner', handle: async (req) => ({ rule: await r.rules.create(id(req.params.id), parse(RuleInput, req.body)) }) },
    { method: 'put', path: '/rules/:id', access: 'owner', handle: async (req) => ({ rule: await r.rules.update(id(req.params.id), parse(RuleInput, req.body)) }) },
    {
      method: 'delete',
      path: '/rules/:id',
      access: 'owner',
      async handle(req) {
        await r.rules.remove(id(req.params.id));
        return {};
      },
    },
    { method: 'post', path: '/rules/:id/move', access: 'owner', handle: async (req) => ({ rules: await r.rules.move(id(req.params.id), parse(RuleMoveBody, req.body).direction) }) },
    {
      method: 'get',
      path: '/conversations/:id/rules',
      access: 'signed-in',
      async handle(req, _res, { actor }) {
        const cid = id(req.params.id);
        await r.access.assertConversation(actor, cid);
        return { firings: await svc.store.respond.rules.firings(cid), routing: await svc.store.respond.routing.routing(cid) };
      },
    },

    { method: 'get', path: '/teams', access: 'signed-in', handle: async () => ({ teams: await r.teams.list() }) },
    { method: 'post', path: '/teams', access: 'owner', handle: async (req) => ({ team: await r.teams.create(parse(TeamInput, req.body)) }) },
    { method: 'put', path: '/teams/:id', access: 'owner', handle: async (req) => ({ team: await r.teams.update(id(req.params.id), parse(TeamInput, req.body)) }) },
    {
      method: 'delete',
      path: '/teams/:id',
      access: 'owner',
      async handle(req) {
        await r.teams.remove(id(req.params.id));
        return {};
      },
    },

    { method: 'get', path: '/follow-ups', access: 'signed-in', handle: async (req, _res, { actor }) => ({ items: await r.followUps(actor, parse(FollowUpsQuery, req.query)) }) },
    { method: 'get', path: '/follow-ups/count', access: 'signed-in', handle: async (_req, _res, { actor }) => r.followUpCount(actor) },

    { method: 'get', path: '/sites/:id/webhooks', access: 'owner', handle: async (req) => ({ endpoints: await r.webhooks.list(id(req.params.id)) }) },
    { method: 'post', path: '/sites/:id/webhooks', access: 'owner', handle: async (req) => r.webhooks.create(id(req.params.id), parse(WebhookCreateBody, req.body)) },
    { method: 'patch', path: '/webhooks/:id', access: 'owner', handle: async (req) => ({ endpoint: await r.webhooks.update(id(req.params.id), parse(WebhookUpdateBody, req.body)) }) },
    {
      method: 'delete',
      path: '/webhooks/:id',
      access: 'owner',
      async handle(req) {
        await r.webhooks.remove(id(req.params.id));
        return {};
      },
    },
    { method: 'get', path: '/webhooks/:id/deliveries', access: 'owner', handle: async (req) => ({ deliveries: await r.webhooks.deliveries(id(req.params.id)) }) },
    { method: 'post', path: '/webhooks/:id/test', access: 'owner', handle: async (req) => ({ delivery: await r.webhooks.sendTest(id(req.params.id)) }) },
  ];
}
