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
  const scope = (actor: Pick<Actor, 'id' | 'role'>): SiteScope => {
    if (actor.role === 'owner' || store.respond.teams.count() === 0) return null;
    return store.respond.teams.siteIdsOfUser(actor.id);
  };
  const canSeeSite = (actor: Pick<Actor, 'id' | 'role'>, siteId: string): boolean => {
    const s = scope(actor);
    return s === null || s.includes(siteId);
  };
  return {
    /** null: every site; else the site ids the actor may see */
    scope,
    canSeeSite,
    assertSite(actor: Pick<Actor, 'id' | 'role'>, siteId: string): void {
      if (!canSeeSite(actor, siteId)) throw new AppError('not_found', 'No such site.');
    },
    assertConversation(actor: Pick<Actor, 'id' | 'role'>, conversationId: string): void {
      const siteId = store.respond.routing.siteOf(conversationId);
      if (siteId === null || !canSeeSite(actor, siteId)) throw new AppError('not_found', 'No such conversation.');
    },
    /** the list filter for a scope: an explicit site out of scope matches nothing */
    siteIdsFilter(actor: Pick<Actor, 'id' | 'role'>): { siteIds?: readonly string[] } {
      const s = scope(actor);
      return s === null ? {} : { siteIds: s };
    },
  };
}
export type SiteAccess = ReturnType<typeof createSiteAccess>;
