import { AppError } from '../../../shared/errors.ts';
import { DraftReplyBody, EmailLogQuery, PlaybookSettingsBody, SendReplyBody, type ConversationReach, type EmailLogResponse } from '../../../shared/reach.ts';
import { customerOf } from '../../respond/customer.ts';
import { toSentReply } from '../../store/visitor-replies.ts';
import type { AdminServices } from './compose.ts';
import { param, parse } from './parse.ts';
import type { AnyRoute } from './route.ts';

/** Reaching customers: reply drafts, sent replies, the e-mail log, playbook switches per site. */
export function reachRoutes(svc: AdminServices): AnyRoute[] {
  const { store, reach } = svc;
  // teams: an agent sees and acts on their teams' sites only (owners: all)
  const access = svc.respond.access;
  type Who = Parameters<typeof access.assertSite>[0];
  const conversation = (id: string, actor: Who) => {
    access.assertConversation(actor, id);
    const c = store.conversations.get(id);
    if (!c) throw new AppError('not_found', 'No such conversation.');
    return c;
  };
  const site = (id: string, actor: Who) => {
    access.assertSite(actor, id);
    if (!store.sites.getById(id)) throw new AppError('not_found', 'No such site.');
    return id;
  };
  return [
    {
      method: 'post',
      path: '/conversations/:id/reply-draft',
      access: 'signed-in',
      async handle(req, _res, { actor }) {
        const body = parse(DraftReplyBody, req.body ?? {});
        return reach.drafts.draft(conversation(param(req.params.id, 'id'), actor).id, actor.name, body.lang);
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/replies',
      access: 'signed-in',
      handle(req, _res, { actor }) {
        const body = parse(SendReplyBody, req.body);
        const c = conversation(param(req.params.id, 'id'), actor);
        const reply = reach.ports.sendReplyNow({
          conversationId: c.id,
          text: body.text,
          authorName: actor.name,
          agentId: actor.id,
          idempotencyKey: `agent:${c.id}:${body.clientKey}`,
          emailToo: body.emailToo,
        });
        if (!reply) throw new AppError('not_found', 'No such conversation.');
        svc.store.admin.audit.log({ actorId: actor.id, actor: actor.email, action: 'conversation.reply', target: c.id, detail: { replyId: reply.id } });
        return { reply: toSentReply(reply, body.emailToo ? customerOf(store, c.id)?.email ?? null : null) };
      },
    },
    {
      method: 'get',
      path: '/conversations/:id/reach',
      access: 'signed-in',
      handle(req, _res, { actor }): ConversationReach {
        const c = conversation(param(req.params.id, 'id'), actor);
        const email = customerOf(store, c.id)?.email ?? null;
        const playbooks = store.playbooks.list(c.id);
        const recovery = playbooks.find((p) => p.playbook === 'recheck_detractor')?.outcome ?? null;
        return {
          email,
          replies: store.replies.list(c.id).map((r) => toSentReply(r, r.emailToo ? email : null)),
          emails: store.emails.log({ conversationId: c.id, limit: 50 }),
          playbooks,
          recovery,
        };
      },
    },
    {
      method: 'get',
      path: '/emails',
      access: 'signed-in',
      handle(req, _res, { actor }): EmailLogResponse {
        const q = parse(EmailLogQuery, req.query);
        if (q.siteId !== undefined) access.assertSite(actor, q.siteId);
        if (q.conversationId !== undefined) access.assertConversation(actor, q.conversationId);
        return { smtpProblem: reach.mailer.problem, items: store.emails.log({ ...q, ...access.siteIdsFilter(actor) }) };
      },
    },
    {
      method: 'get',
      path: '/sites/:id/playbooks',
      access: 'signed-in',
      handle: (req, _res, { actor }) => ({ playbooks: store.playbooks.settings(site(param(req.params.id, 'id'), actor)), smtpProblem: reach.mailer.problem }),
    },
    {
      method: 'put',
      path: '/sites/:id/playbooks',
      access: 'owner',
      handle(req, _res, { actor }) {
        const siteId = site(param(req.params.id, 'id'), actor);
        const playbooks = parse(PlaybookSettingsBody, req.body);
        store.playbooks.saveSettings(siteId, playbooks);
        store.admin.audit.log({ actorId: actor.id, actor: actor.email, action: 'site.playbooks', target: siteId, detail: playbooks });
        return { playbooks };
      },
    },
  ];
}
