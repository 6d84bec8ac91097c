/** The admin side's stores, composed into createStore(sql) as `store.admin`. */
import type { Sql } from './sql.ts';
import { adminSessionsStore } from './admin-sessions.ts';
import { auditStore } from './audit.ts';
import { cannedStore } from './canned.ts';
import { jobViewsStore } from './job-views.ts';
import { notesStore } from './notes.ts';
import { privacyStore } from './privacy.ts';
import { reviewsStore } from './reviews.ts';
import { usersStore } from './users.ts';

export function adminStores(sql: Sql) {
  return {
    users: usersStore(sql),
    sessions: adminSessionsStore(sql),
    audit: auditStore(sql),
    notes: notesStore(sql),
    canned: cannedStore(sql),
    reviews: reviewsStore(sql),
    privacy: privacyStore(sql),
    jobs: jobViewsStore(sql),
  };
}
export type AdminStores = ReturnType<typeof adminStores>;
