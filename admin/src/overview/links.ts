/** Links from a chart's point or bar to the transcripts behind it (the list's filters in the URL). */
import type { InsightFilters, ResolvedFilters } from '../../../shared/insights.ts';
import { addDays, dayStart } from '../../../shared/zoned-time.ts';
import type { ConversationFilters } from '../api/types.ts';
import { href } from '../shell/route.ts';

/** `from`..`toExclusive` as local days in `timeZone` ('mixed' reads as UTC) */
export function transcriptsHref(f: ResolvedFilters | InsightFilters, timeZone: string, range: { from: string; toExclusive: string }, extra: Partial<ConversationFilters> = {}): string {
  const tz = timeZone === 'mixed' ? 'UTC' : timeZone;
  const filters: ConversationFilters = {
    ...(f.siteId ? { siteId: f.siteId } : {}),
    ...(f.flowId ? { flowId: f.flowId } : {}),
    ...(f.source ? { source: f.source } : {}),
    ...(f.lang ? { lang: f.lang } : {}),
    ...(f.tag ? { tag: f.tag } : {}),
    from: dayStart(range.from, tz),
    to: dayStart(range.toExclusive, tz) - 1,
    ...extra,
  };
  return href({ name: 'conversations', filters });
}

/** the whole period of resolved filters */
export function periodHref(f: ResolvedFilters, timeZone: string, extra: Partial<ConversationFilters> = {}): string {
  return transcriptsHref(f, timeZone, { from: f.from, toExclusive: addDays(f.to, 1) }, extra);
}
