import type { z } from 'zod';
import type { CannedCreateBody, CannedResponse, CannedUpdateBody } from '../../shared/admin-api.ts';
import { AppError } from '../../shared/errors.ts';
import type { Store } from '../store/index.ts';

export interface PlaceholderValues {
  visitorName: string | null;
  agentName: string;
  siteName: string;
}

/**
 * Fill {{visitor.name}}, {{agent.name}}, {{site.name}}. Values are inserted as plain text (the
 * widget renders text, never HTML); an unknown placeholder is left as written.
 */
export function fillPlaceholders(text: string, v: PlaceholderValues): string {
  const values: Record<string, string> = {
    'visitor.name': v.visitorName ?? 'there',
    'agent.name': v.agentName,
    'site.name': v.siteName,
  };
  return text.replace(/\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/gi, (all, key: string) => {
    const k = key.toLowerCase();
    return Object.hasOwn(values, k) ? (values[k] ?? all) : all;
  });
}

/** Saved replies owners manage and agents send. */
export function createCannedService(store: Store) {
  const { canned } = store.admin;

  const checkSite = async (siteId: string | null) => {
    if (siteId !== null && !(await store.sites.getById(siteId))) throw new AppError('not_found', 'No such site.');
  };

  async function get(id: number): Promise<CannedResponse> {
    const c = await canned.get(id);
    if (!c) throw new AppError('not_found', 'No such canned response.');
    return c;
  }

  return {
    get,
    list(siteId?: string): Promise<CannedResponse[]> {
      return canned.list(siteId);
    },
    create(body: z.output<typeof CannedCreateBody>): Promise<CannedResponse> {
      // the shortcut check and the insert share one transaction
      return store.tx(async () => {
        await checkSite(body.siteId);
        if (await canned.isShortcutTaken(body.siteId, body.shortcut)) throw new AppError('conflict', `The shortcut "${body.shortcut}" is taken.`);
        return canned.create(body);
      });
    },
    update(id: number, body: z.output<typeof CannedUpdateBody>): Promise<CannedResponse> {
      return store.tx(async () => {
      const current = await get(id);
      const next = {
        siteId: body.siteId === undefined ? current.siteId : body.siteId,
        shortcut: body.shortcut ?? current.shortcut,
        title: body.title ?? current.title,
        text: body.text ?? current.text,
      };
      await checkSite(next.siteId);
      if (await canned.isShortcutTaken(next.siteId, next.shortcut, id)) throw new AppError('conflict', `The shortcut "${next.shortcut}" is taken.`);
      return (await canned.update(id, next))!;
      });
    },
    async remove(id: number): Promise<void> {
      if (!(await canned.remove(id))) throw new AppError('not_found', 'No such canned response.');
    },
  };
}
export type CannedService = ReturnType<typeof createCannedService>;
