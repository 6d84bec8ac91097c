/**
 * Who sees which site: owners see every site; an agent sees the sites their teams cover. Until
 * the first team exists every agent sees every site (a small shop with no teams keeps working).
 * Anything out of sight answers "not found", so an agent cannot even learn that it exists.
 */
import { AppError } from '../../shared/errors.ts';
import type { Actor } from '../auth/accounts.ts';
import type { Store } from '../store/index.ts';
import type { SiteScope } from '../store/routing.ts';

export function createSiteAccess(store: Store) {
  const scope = async (actor: Pick<Actor, 'id' | 'role'>): Promise<SiteScope> => {
    if (actor.role === 'owner' || (await store.respond.teams.count()) === 0) return null;
    return store.respond.teams.siteIdsOfUser(actor.id);
  };
  const canSeeSite = async (actor: Pick<Actor, 'id' | 'role'>, siteId: string): Promise<boolean> => {
    const s = await scope(actor);
    return s === null || s.includes(siteId);
  };
  return {
    /** null: every site; else the site ids the actor may see */
    scope,
    canSeeSite,
    async assertSite(actor: Pick<Actor, 'id' | 'role'>, siteId: string): Promise<void> {
      if (!(await canSeeSite(actor, siteId))) throw new AppError('not_found', 'No such site.');
    },
    async assertConversation(actor: Pick<Actor, 'id' | 'role'>, conversationId: string): Promise<void> {
      const siteId = await store.respond.routing.siteOf(conversationId);
      if (siteId === null || !(await canSeeSite(actor, siteId))) throw new AppError('not_found', 'No such conversation.');
    },
    /** the list filter for a scope: an explicit site out of scope matches nothing */
    async siteIdsFilter(actor: Pick<Actor, 'id' | 'role'>): Promise<{ siteIds?: readonly string[] }> {
      const s = await scope(actor);
      return s === null ? {} : { siteIds: s };
    },
  };
}
export type SiteAccess = ReturnType<typeof createSiteAccess>;
