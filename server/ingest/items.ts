/**
 * Takes feedback items from any channel: validates each on its own (a bad item is reported with
 * its index and reason, the good ones are still taken), fills in language and dates, and writes
 * them in one transaction that also enqueues their extraction. Duplicates (same site, source
 * label and external id) are answered with the id of the item already stored.
 */
import { FeedbackItemInput, type FeedbackChannel, type FeedbackItemResult } from '../../shared/feedback.ts';
import type { NewFeedbackItem, FeedbackStore } from '../store/feedback.ts';
import { detectLanguage } from '../text/language.ts';

export interface IngestOptions {
  /** import:<id>, feed:<id>; null for the API and the webhook */
  origin?: string | null;
  now?: number;
}

/** what a caller that already built items (feeds, imports) hands in */
export type ItemDraft = Omit<NewFeedbackItem, 'siteId' | 'channel' | 'origin' | 'language'> & { language?: string | null };

export function toNewItem(siteId: string, channel: FeedbackChannel, draft: ItemDraft, origin: string | null): NewFeedbackItem {
  const detected = draft.language ?? detectLanguage(draft.text).lang;
  return { ...draft, siteId, channel, origin, language: detected ?? null };
}

export function createIngestService(deps: { feedback: FeedbackStore; onCreated?: () => void }) {
  /** one store call: the dedupe check and the insert of every item happen in one transaction */
  async function write(items: NewFeedbackItem[], now: number) {
    const outcomes = await deps.feedback.insertMany(items, now);
    if (outcomes.some((o) => o.status === 'created')) deps.onCreated?.();
    return outcomes;
  }

  return {
    /** validate and take raw items (the API batch); results in the order sent */
    async ingestRaw(siteId: string, channel: FeedbackChannel, raw: unknown[], opts: IngestOptions = {}): Promise<FeedbackItemResult[]> {
      const now = opts.now ?? Date.now();
      const results: FeedbackItemResult[] = new Array(raw.length);
      const good: { index: number; item: NewFeedbackItem }[] = [];
      raw.forEach((value, index) => {
        const parsed = FeedbackItemInput.safeParse(value);
        if (!parsed.success) {
          const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
          const first = issues[0];
          results[index] = { index, status: 'error', error: { message: first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid item', issues } };
          return;
        }
        const d = parsed.data;
        good.push({
          index,
          item: toNewItem(
            siteId,
            channel,
            {
              source: d.source,
              externalId: d.externalId,
              author: d.author ?? null,
              text: d.text,
              url: d.url ?? null,
              createdAt: d.createdAt ?? now,
              rating: d.rating === null || d.rating === undefined ? null : { type: d.ratingType, value: d.rating },
              metadata: d.metadata ?? {},
              language: d.language ?? null,
            },
            opts.origin ?? null,
          ),
        });
      });
      const outcomes = good.length ? await write(good.map((g) => g.item), now) : [];
      good.forEach((g, i) => {
        const o = outcomes[i]!;
        results[g.index] = { index: g.index, status: o.status, id: o.id };
      });
      return results;
    },
    /** take items a trusted caller already validated (feeds, imports, webhook) */
    async ingestDrafts(siteId: string, channel: FeedbackChannel, drafts: ItemDraft[], opts: IngestOptions = {}) {
      const now = opts.now ?? Date.now();
      return write(
        drafts.map((d) => toNewItem(siteId, channel, d, opts.origin ?? null)),
        now,
      );
    },
  };
}
export type IngestService = ReturnType<typeof createIngestService>;
