/** The admin side's stores, composed into createStore(db) as `store.admin`. */
import type { Asyncify } from './async.ts';
import type { Db } from './db.ts';
import { adminSessionsStore } from './admin-sessions.ts';
import { auditStore } from './audit.ts';
import { cannedStore } from './canned.ts';
import { jobViewsStore } from './job-views.ts';
import { notesStore } from './notes.ts';
import { privacyStore } from './privacy.ts';
import { reviewsStore } from './reviews.ts';
import { usersStore } from './users.ts';

export function adminStores(db: Db) {
  return {
    users: usersStore(db),
    sessions: adminSessionsStore(db),
    audit: auditStore(db),
    notes: notesStore(db),
    canned: cannedStore(db),
    reviews: reviewsStore(db),
    privacy: privacyStore(db),
    jobs: jobViewsStore(db),
  };
}
export type AdminStores = Asyncify<ReturnType<typeof adminStores>>;
