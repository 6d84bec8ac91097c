/**
 * Past conversations written the way live ones end up: conversation, messages, answers, end,
 * extraction record, insight facts. The demo seed writes a few weeks of them; tests build their
 * fixtures with it.
 */
import type { Expectation, Rating, Urgency } from '../../shared/extraction.ts';
import type { AnswerValue } from '../../shared/flow.ts';
import type { Store } from '../store/index.ts';
import type { InsightsService } from './service.ts';

export interface PastConversation {
  flowId: string | null;
  source?: string;
  startedAt: number;
  /** ms from start to end (default 3 minutes) */
  durationMs?: number;
  /** ran to the end of its flow (default true) */
  completed?: boolean;
  /** alternating bot/visitor turns: the bot's lines are optional */
  visitor: string[];
  bot?: string[];
  answers?: { questionId: string; type: string; value: AnswerValue; raw: string }[];
  ratings?: { type: Rating['type']; value: number; questionId?: string | null }[];
  sentiment: number;
  topics?: string[];
  keyPhrases?: string[];
  expectations?: Expectation[];
  followUp?: { urgency: Urgency; reason: string } | null;
  /** the follow-up was resolved this long after the conversation ended */
  resolvedAfterMs?: number | null;
  tags?: string[];
  summary?: string;
}

const SCALES: ReadonlyMap<Rating['type'], [number, number]> = new Map([
  ['nps', [0, 10]],
  ['csat', [1, 5]],
  ['ces', [1, 7]],
  ['stars', [1, 5]],
]);

/** in one transaction, or as part of the caller's (the demo seed writes all in one); only store calls are awaited */
export function addPastConversation(store: Store, insights: InsightsService, siteId: string, c: PastConversation): Promise<string> {
  return store.inTx() ? writePast(store, insights, siteId, c) : store.tx(() => writePast(store, insights, siteId, c));
}

async function writePast(store: Store, insights: InsightsService, siteId: string, c: PastConversation): Promise<string> {
  const duration = c.durationMs ?? 180_000;
  const endedAt = c.startedAt + duration;
  const conv = await store.conversations.create({ siteId, visitorId: null, flowId: c.flowId, source: c.source ?? 'widget' }, c.startedAt);
  const turns = Math.max(c.visitor.length, c.bot?.length ?? 0);
  const step = Math.max(1, Math.floor(duration / (2 * turns + 1)));
  let t = c.startedAt;
  for (let i = 0; i < turns; i++) {
    const b = c.bot?.[i];
    if (b) await store.messages.append(conv.id, { author: 'bot', text: b }, (t += step));
    const v = c.visitor[i];
    if (v) await store.messages.append(conv.id, { author: 'visitor', text: v }, (t += step));
  }
  for (const [i, a] of (c.answers ?? []).entries()) await store.answers.upsert(conv.id, { ...a, elaborations: [], answeredAt: c.startedAt + (i + 1) * step * 2 });
  await store.conversations.end(conv.id, c.completed === false ? 'idle' : 'completed', endedAt);
  const label = c.sentiment > 0.25 ? 'positive' : c.sentiment < -0.25 ? 'negative' : 'neutral';
  const ratings: Rating[] = (c.ratings ?? []).map((r) => {
    const [scaleMin, scaleMax] = SCALES.get(r.type) ?? [1, 5];
    return { questionId: r.questionId ?? null, type: r.type, value: r.value, scaleMin, scaleMax, inferred: false, confidence: 1 };
  });
  const nps = ratings.find((r) => r.type === 'nps');
  const saved = await store.extractions.save({
    conversationId: conv.id,
    extractor: 'offline',
    extractorVersion: 'history@1',
    ratings,
    npsCategory: nps ? (nps.value >= 9 ? 'promoter' : nps.value >= 7 ? 'passive' : 'detractor') : null,
    sentiment: { label, score: c.sentiment, messages: [] },
    topics: (c.topics ?? []).map((name) => ({ name, score: 0.8 })),
    keyPhrases: c.keyPhrases ?? [],
    summary: c.summary ?? c.visitor[0] ?? '',
    expectations: c.expectations ?? [],
    followUp: c.followUp
      ? { needed: true, reason: c.followUp.reason, urgency: c.followUp.urgency, contact: { email: null, phone: null } }
      : { needed: false, reason: null, urgency: null, contact: { email: null, phone: null } },
    createdAt: endedAt + 1_000,
  });
  await insights.recordExtraction(saved);
  if (c.followUp) {
    if (c.resolvedAfterMs != null) await insights.markResolvedAt(conv.id, endedAt + c.resolvedAfterMs);
    else await store.admin.reviews.setFollowUp(conv.id, 'open', null);
  }
  if (c.tags?.length) await store.admin.notes.setTags(conv.id, c.tags);
  return conv.id;
}
