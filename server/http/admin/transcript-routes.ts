import { once } from 'node:events';
import { ConversationListQuery, ExportQuery, FollowUpBody, NoteCreateBody, TagsBody } from '../../../shared/admin-api.ts';
import { exportChunks } from '../../review/export.ts';
import type { AdminServices } from './compose.ts';
import { param, parse } from './parse.ts';
import type { AnyRoute } from './route.ts';

/** Transcript review: list, export, detail, notes, tags, follow-up. */
export function transcriptRoutes(svc: AdminServices): AnyRoute[] {
  const t = svc.transcripts;
  // teams: an agent sees and acts on their teams' sites only (owners: all)
  const access = svc.respond.access;
  const visible = async (cid: string, actor: Parameters<typeof access.assertConversation>[0]) => {
    await access.assertConversation(actor, cid);
    return cid;
  };
  return [
    {
      method: 'get',
      path: '/conversations',
      access: 'signed-in',
      async handle(req, _res, { actor }) {
        const { cursor, limit, ...filters } = parse(ConversationListQuery, req.query);
        return t.list({ ...filters, ...(await access.siteIdsFilter(actor)) }, cursor, limit);
      },
    },
    {
      method: 'get',
      path: '/conversations/export',
      access: 'signed-in',
      async handle(req, res, { actor }) {
        const { format, ...query } = parse(ExportQuery, req.query);
        const filters = { ...query, ...(await access.siteIdsFilter(actor)) };
        const stamp = new Date().toISOString().slice(0, 10);
        res.status(200);
        res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="parley-conversations-${stamp}.${format}"`);
        for await (const chunk of exportChunks(svc.store, filters, format)) {
          if (res.destroyed) return undefined;
          // respect backpressure so a slow client does not buffer the whole export in memory
          if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
        }
        res.end();
        return undefined;
      },
    },
    { method: 'get', path: '/conversations/:id', access: 'signed-in', handle: async (req, _res, { actor }) => t.detail(await visible(param(req.params.id, 'id'), actor)) },
    {
      method: 'post',
      path: '/conversations/:id/notes',
      access: 'signed-in',
      async handle(req, _res, { actor }) {
        const body = parse(NoteCreateBody, req.body);
        return { note: await t.addNote(await visible(param(req.params.id, 'id'), actor), actor, body.text) };
      },
    },
    {
      method: 'put',
      path: '/conversations/:id/tags',
      access: 'signed-in',
      async handle(req, _res, { actor }) {
        const body = parse(TagsBody, req.body);
        return { tags: await t.setTags(await visible(param(req.params.id, 'id'), actor), body.tags) };
      },
    },
    {
      method: 'put',
      path: '/conversations/:id/follow-up',
      access: 'signed-in',
      async handle(req, _res, { actor }) {
        const body = parse(FollowUpBody, req.body);
        const id = await visible(param(req.params.id, 'id'), actor);
        const before = (await t.get(id)).followUpStatus;
        const conversation = await t.setFollowUp(id, actor, body.status, body.assigneeId);
        await svc.respond.followUpStatusChanged(id, before, conversation.followUpStatus, actor);
        return { conversation };
      },
    },
  ];
}
