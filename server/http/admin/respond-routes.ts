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
      handle(req, _res, { actor }) {
        r.access.assertSite(actor, id(req.params.id));
        return { rules: r.rules.list(id(req.params.id)) };
      },
    },
    { method: 'post', path: '/sites/:id/rules', access: 'owner', handle: (req) => ({ rule: r.rules.create(id(req.params.id), parse(RuleInput, req.body)) }) },
    { method: 'put', path: '/rules/:id', access: 'owner', handle: (req) => ({ rule: r.rules.update(id(req.params.id), parse(RuleInput, req.body)) }) },
    {
      method: 'delete',
      path: '/rules/:id',
      access: 'owner',
      handle(req) {
        r.rules.remove(id(req.params.id));
        return {};
      },
    },
    { method: 'post', path: '/rules/:id/move', access: 'owner', handle: (req) => ({ rules: r.rules.move(id(req.params.id), parse(RuleMoveBody, req.body).direction) }) },
    {
      method: 'get',
      path: '/conversations/:id/rules',
      access: 'signed-in',
      handle(req, _res, { actor }) {
        const cid = id(req.params.id);
        r.access.assertConversation(actor, cid);
        return { firings: svc.store.respond.rules.firings(cid), routing: svc.store.respond.routing.routing(cid) };
      },
    },

    { method: 'get', path: '/teams', access: 'signed-in', handle: () => ({ teams: r.teams.list() }) },
    { method: 'post', path: '/teams', access: 'owner', handle: (req) => ({ team: r.teams.create(parse(TeamInput, req.body)) }) },
    { method: 'put', path: '/teams/:id', access: 'owner', handle: (req) => ({ team: r.teams.update(id(req.params.id), parse(TeamInput, req.body)) }) },
    {
      method: 'delete',
      path: '/teams/:id',
      access: 'owner',
      handle(req) {
        r.teams.remove(id(req.params.id));
        return {};
      },
    },

    { method: 'get', path: '/follow-ups', access: 'signed-in', handle: (req, _res, { actor }) => ({ items: r.followUps(actor, parse(FollowUpsQuery, req.query)) }) },
    { method: 'get', path: '/follow-ups/count', access: 'signed-in', handle: (_req, _res, { actor }) => r.followUpCount(actor) },

    { method: 'get', path: '/sites/:id/webhooks', access: 'owner', handle: (req) => ({ endpoints: r.webhooks.list(id(req.params.id)) }) },
    { method: 'post', path: '/sites/:id/webhooks', access: 'owner', handle: (req) => r.webhooks.create(id(req.params.id), parse(WebhookCreateBody, req.body)) },
    { method: 'patch', path: '/webhooks/:id', access: 'owner', handle: async (req) => ({ endpoint: await r.webhooks.update(id(req.params.id), parse(WebhookUpdateBody, req.body)) }) },
    {
      method: 'delete',
      path: '/webhooks/:id',
      access: 'owner',
      handle(req) {
        r.webhooks.remove(id(req.params.id));
        return {};
      },
    },
    { method: 'get', path: '/webhooks/:id/deliveries', access: 'owner', handle: (req) => ({ deliveries: r.webhooks.deliveries(id(req.params.id)) }) },
    { method: 'post', path: '/webhooks/:id/test', access: 'owner', handle: (req) => ({ delivery: r.webhooks.sendTest(id(req.params.id)) }) },
  ];
}
