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
  const conversation = async (id: string, actor: Who) => {
    await access.assertConversation(actor, id);
    const c = await store.conversations.get(id);
    if (!c) throw new AppError('not_found', 'No such conversation.');
    return c;
  };
  const site = async (id: string, actor: Who) => {
    await access.assertSite(actor, id);
    if (!(await store.sites.getById(id))) throw new AppError('not_found', 'No such site.');
    return id;
  };
  return [
    {
      method: 'post',
      path: '/conversations/:id/reply-draft',
      access: 'signed-in',
      async handle(req, _res, { actor }) {
        const body = parse(DraftReplyBody, req.body ?? {});
        return reach.drafts.draft((await conversation(param(req.params.id, 'id'), actor)).id, actor.name, body.lang);
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/replies',
      access: 'signed-in',
      async handle(req, _res, { actor }) {
        const body = parse(SendReplyBody, req.body);
        const c = await conversation(param(req.params.id, 'id'), actor);
        const reply = await reach.ports.sendReplyNow({
          conversationId: c.id,
          text: body.text,
          authorName: actor.name,
          agentId: actor.id,
          idempotencyKey: `agent:${c.id}:${body.clientKey}`,
          emailToo: body.emailToo,
        });
        if (!reply) throw new AppError('not_found', 'No such conversation.');
        await svc.store.admin.audit.log({ actorId: actor.id, actor: actor.email, action: 'conversation.reply', target: c.id, detail: { replyId: reply.id } });
        return { reply: toSentReply(reply, body.emailToo ? (await customerOf(store, c.id))?.email ?? null : null) };
      },
    },
    {
      method: 'get',
      path: '/conversations/:id/reach',
      access: 'signed-in',
      async handle(req, _res, { actor }): Promise<ConversationReach> {
        const c = await conversation(param(req.params.id, 'id'), actor);
        const email = (await customerOf(store, c.id))?.email ?? null;
        const playbooks = await store.playbooks.list(c.id);
        const recovery = playbooks.find((p) => p.playbook === 'recheck_detractor')?.outcome ?? null;
        return {
          email,
          replies: (await store.replies.list(c.id)).map((r) => toSentReply(r, r.emailToo ? email : null)),
          emails: await store.emails.log({ conversationId: c.id, limit: 50 }),
          playbooks,
          recovery,
        };
      },
    },
    {
      method: 'get',
      path: '/emails',
      access: 'signed-in',
      async handle(req, _res, { actor }): Promise<EmailLogResponse> {
        const q = parse(EmailLogQuery, req.query);
        if (q.siteId !== undefined) await access.assertSite(actor, q.siteId);
        if (q.conversationId !== undefined) await access.assertConversation(actor, q.conversationId);
        return { smtpProblem: reach.mailer.problem, items: await store.emails.log({ ...q, ...(await access.siteIdsFilter(actor)) }) };
      },
    },
    {
      method: 'get',
      path: '/sites/:id/playbooks',
      access: 'signed-in',
      handle: async (req, _res, { actor }) => ({ playbooks: await store.playbooks.settings(await site(param(req.params.id, 'id'), actor)), smtpProblem: reach.mailer.problem }),
    },
    {
      method: 'put',
      path: '/sites/:id/playbooks',
      access: 'owner',
      async handle(req, _res, { actor }) {
        const siteId = await site(param(req.params.id, 'id'), actor);
        const playbooks = parse(PlaybookSettingsBody, req.body);
        await store.tx(async () => {
          await store.playbooks.saveSettings(siteId, playbooks);
          await store.admin.audit.log({ actorId: actor.id, actor: actor.email, action: 'site.playbooks', target: siteId, detail: playbooks });
        });
        return { playbooks };
      },
    },
  ];
}
