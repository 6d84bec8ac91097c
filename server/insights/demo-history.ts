/**
 * A few weeks of past conversations for the demo site, so a new user opens a living dashboard:
 * varied scores, topics and sentiment, several sources and flows, follow-ups (some resolved),
 * quotes in English, German, French and Spanish, and one topic that emerges in the last week.
 * Deterministic (seeded random), written in one transaction, only when the site has none yet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Expectation } from '../../shared/extraction.ts';
import type { Store } from '../store/index.ts';
import { addPastConversation, type PastConversation } from './history.ts';
import { pickOne, seededRandom } from './rng.ts';
import type { InsightsService } from './service.ts';

const Line = z.object({
  topic: z.string(),
  lang: z.enum(['en', 'de', 'fr', 'es']),
  sentiment: z.number().min(-1).max(1),
  text: z.string(),
  expectation: Expectation.optional(),
  phrase: z.string().optional(),
  recentOnly: z.boolean().default(false),
});
type Line = z.infer<typeof Line>;
const HistoryFile = z.object({ lines: z.array(Line).min(1) });

const DAY = 86_400_000;
export const DEMO_HISTORY_DAYS = 56;

const BOT_NPS = 'How likely are you to recommend Northwind Goods to a friend or colleague?';
const SOURCES: readonly [string, number][] = [
  ['widget', 0.7],
  ['api', 0.1],
  ['feed', 0.12],
  ['import', 0.08],
];
const LANG_WEIGHT: ReadonlyMap<string, number> = new Map([
  ['en', 1],
  ['de', 0.55],
  ['fr', 0.35],
  ['es', 0.3],
]);

function weighted<T>(rand: () => number, items: readonly [T, number][]): T {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let r = rand() * total;
  for (const [item, w] of items) if ((r -= w) <= 0) return item;
  const last = items[items.length - 1];
  if (!last) throw new Error('weighted: empty list');
  return last[0];
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** an NPS that fits how the remark feels, drifting up a little over the weeks */
function npsFor(rand: () => number, sentiment: number, progress: number): number {
  const base = 7.7 + sentiment * 3.4 + progress * 0.9 + (rand() - 0.5) * 3;
  return clamp(Math.round(base), 0, 10);
}

function conversation(rand: () => number, line: Line, startedAt: number, progress: number): PastConversation {
  const source = weighted(rand, SOURCES);
  const sentiment = clamp(line.sentiment + (rand() - 0.5) * 0.3, -1, 1);
  const topics = [line.topic];
  const followUp =
    sentiment < -0.55 && rand() < 0.7 ? { urgency: sentiment < -0.75 ? ('high' as const) : ('medium' as const), reason: 'unhappy customer asked for help' } : null;
  const resolvedAfterMs = followUp && rand() < 0.65 ? Math.round((1 + rand() * 40) * 3_600_000) : null;
  const common = {
    source,
    startedAt,
    sentiment: Math.round(sentiment * 100) / 100,
    topics,
    keyPhrases: line.phrase ? [line.phrase] : [],
    expectations: line.expectation ? [line.expectation] : [],
    followUp,
    resolvedAfterMs,
    tags: rand() < 0.05 ? ['vip'] : rand() < 0.04 ? ['bug'] : [],
    summary: line.text.slice(0, 120),
  };
  // ingested feedback (feeds, imports) has no survey: just the remark
  if (source === 'feed' || source === 'import') return { ...common, flowId: null, visitor: [line.text], durationMs: 1_000 };
  const flow = weighted(rand, [
    ['nps', 0.55],
    ['support', 0.28],
    ['product-feedback', 0.17],
  ] as [string, number][]);
  if (flow === 'support') {
    const csat = clamp(Math.round(3 + sentiment * 2 + (rand() - 0.5)), 1, 5);
    return {
      ...common,
      flowId: 'support',
      bot: ['Hi! Ask me anything about orders, delivery, returns, payments or your account.', 'How satisfied are you with the help you got today?'],
      visitor: [line.text, String(csat)],
      ratings: [{ type: 'csat', value: csat }],
    };
  }
  if (flow === 'product-feedback') {
    const ces = clamp(Math.round(4.6 + sentiment * 2 + (rand() - 0.5) * 2), 1, 7);
    const stars = clamp(Math.round(3.4 + sentiment * 1.6), 1, 5);
    const completed = rand() > 0.22;
    const answers = [
      { questionId: 'visit_reason', type: 'single', value: pickOne(rand, ['gift', 'self', 'self', 'browse']), raw: 'for myself' },
      { questionId: 'checkout_ease', type: 'ces', value: ces, raw: String(ces) },
      { questionId: 'features', type: 'multiple', value: ['wishlist'], raw: 'wish lists' },
      { questionId: 'app_interest', type: 'yes_no', value: rand() < 0.4, raw: 'maybe' },
      { questionId: 'site_stars', type: 'stars', value: stars, raw: String(stars) },
    ];
    const kept = completed ? answers : answers.slice(0, 1 + Math.floor(rand() * 3));
    return {
      ...common,
      flowId: 'product-feedback',
      completed,
      bot: ['What brought you to our shop today?', 'How easy was it to find what you were looking for?', 'Anything else?'],
      visitor: ['Shopping for myself', String(ces), line.text],
      answers: kept,
      ratings: kept.some((a) => a.questionId === 'checkout_ease') ? [{ type: 'ces', value: ces, questionId: 'checkout_ease' }] : [],
    };
  }
  const nps = npsFor(rand, sentiment, progress);
  const completed = rand() > 0.12;
  const follow = nps <= 6 ? 'fix_first' : nps <= 8 ? 'make_it_ten' : 'love_most';
  const csat = clamp(Math.round(3.2 + sentiment * 1.8 + (rand() - 0.5)), 1, 5);
  const answers = [
    { questionId: 'nps', type: 'nps', value: nps, raw: String(nps) },
    { questionId: follow, type: 'text', value: line.text, raw: line.text },
    { questionId: 'delivery_csat', type: 'csat', value: csat, raw: String(csat) },
  ];
  const kept = completed ? answers : answers.slice(0, rand() < 0.5 ? 1 : 2);
  return {
    ...common,
    flowId: 'nps',
    completed,
    bot: [BOT_NPS, 'Thanks! Tell me a little more?', 'How satisfied were you with the delivery of your last order?'],
    visitor: [String(nps), line.text, ...(completed ? [String(csat)] : [])],
    answers: kept,
    ratings: [{ type: 'nps', value: nps, questionId: 'nps' }, ...(completed ? [{ type: 'csat' as const, value: csat, questionId: 'delivery_csat' }] : [])],
  };
}

export function loadDemoHistory(path: string): Line[] {
  return HistoryFile.parse(JSON.parse(readFileSync(path, 'utf8'))).lines;
}

/** Writes the demo history for a site with no conversations; returns how many were written. */
export async function seedDemoHistory(store: Store, insights: InsightsService, siteId: string, examplesDir: string, now = Date.now(), seed = 20_26): Promise<number> {
  const lines = loadDemoHistory(join(examplesDir, 'demo-history.json'));
  const rand = seededRandom(seed);
  const steady = lines.filter((l) => !l.recentOnly);
  const emerging = lines.filter((l) => l.recentOnly);
  const weightOf = (l: Line): [Line, number] => [l, LANG_WEIGHT.get(l.lang) ?? 0.3];
  const pool = steady.map(weightOf);
  const first = now - DEMO_HISTORY_DAYS * DAY;
  let written = 0;
  // one transaction for the whole history: only store calls are awaited inside
  await store.tx(async () => {
    for (let d = 0; d < DEMO_HISTORY_DAYS; d++) {
      const dayStart = first + d * DAY;
      const weekend = new Date(dayStart).getUTCDay() % 6 === 0;
      const count = Math.round((weekend ? 5 : 9) + rand() * 4);
      const recent = d >= DEMO_HISTORY_DAYS - 7;
      for (let i = 0; i < count; i++) {
        const line = recent && emerging.length && rand() < 0.22 ? pickOne(rand, emerging) : weighted(rand, pool);
        // daytime in Europe: 07:00-21:00 UTC
        const startedAt = dayStart - (dayStart % DAY) + 7 * 3_600_000 + Math.floor(rand() * 14 * 3_600_000);
        if (startedAt > now - 600_000) continue;
        await addPastConversation(store, insights, siteId, conversation(rand, line, startedAt, d / DEMO_HISTORY_DAYS));
        written++;
      }
    }
  });
  return written;
}
