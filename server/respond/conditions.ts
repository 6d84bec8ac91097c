/**
 * Rule conditions, evaluated over an extraction and the conversation's facts. Pure: each returns
 * whether it matched and a sentence saying why (shown in the transcript's "Rules" section).
 */
import type { Extraction, Urgency } from '../../shared/extraction.ts';
import type { Rule, RuleCondition } from '../../shared/rules.ts';
import type { RoutingFacts } from '../store/routing.ts';

export interface RuleContext {
  extraction: Extraction;
  facts: RoutingFacts;
}

export interface ConditionResult {
  matched: boolean;
  reason: string;
}

const URGENCY_ORDER: readonly Urgency[] = ['low', 'medium', 'high', 'critical'];
const fmt = (n: number) => String(Math.round(n * 100) / 100);
const range = (min: number | undefined, max: number | undefined) =>
  min !== undefined && max !== undefined ? `between ${fmt(min)} and ${fmt(max)}` : min !== undefined ? `at least ${fmt(min)}` : `at most ${fmt(max ?? 0)}`;
const within = (v: number, min: number | undefined, max: number | undefined) => (min === undefined || v >= min) && (max === undefined || v <= max);

/** whole words or phrases, any case, in any script ("constructor" is just a word here) */
export function keywordPattern(word: string): RegExp {
  const escaped = word
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'iu');
}

/** the conversation's language: the extraction's when it has one, else the widget's locale */
export function conversationLanguage(ctx: RuleContext): string | null {
  const x = ctx.extraction;
  if ('language' in x && typeof x.language === 'string' && x.language) return x.language.toLowerCase();
  const locale = ctx.facts.visitorLocale;
  return locale ? (locale.split(/[-_]/)[0] ?? '').toLowerCase() || null : null;
}

export function evaluateCondition(c: RuleCondition, ctx: RuleContext): ConditionResult {
  const x = ctx.extraction;
  switch (c.type) {
    case 'rating': {
      const ratings = x.ratings.filter((r) => c.ratingType === 'any' || r.type === c.ratingType);
      const hit = ratings.find((r) => within(r.value, c.min, c.max));
      const kind = c.ratingType === 'any' ? 'rating' : `${c.ratingType.toUpperCase()} rating`;
      return hit
        ? { matched: true, reason: `${kind} ${fmt(hit.value)} is ${range(c.min, c.max)}` }
        : { matched: false, reason: ratings.length ? `no ${kind} ${range(c.min, c.max)}` : `no ${kind}` };
    }
    case 'nps':
      return x.npsCategory !== null && c.categories.includes(x.npsCategory)
        ? { matched: true, reason: `NPS category is ${x.npsCategory}` }
        : { matched: false, reason: `NPS category is ${x.npsCategory ?? 'unknown'}` };
    case 'sentiment': {
      const { label, score } = x.sentiment;
      const labelOk = c.labels.length === 0 || c.labels.includes(label);
      const scoreOk = within(score, c.min, c.max);
      const parts = [c.labels.length ? `sentiment is ${label}` : null, c.min !== undefined || c.max !== undefined ? `score ${fmt(score)} is ${range(c.min, c.max)}` : null];
      return { matched: labelOk && scoreOk, reason: parts.filter(Boolean).join(', ') || `sentiment ${label}` };
    }
    case 'topic': {
      const wanted = new Set(c.topics.map((t) => t.toLowerCase()));
      const hit = x.topics.find((t) => wanted.has(t.name.toLowerCase()));
      return hit ? { matched: true, reason: `topic "${hit.name}"` } : { matched: false, reason: 'none of the topics' };
    }
    case 'expectation_unmet': {
      const hit = x.expectations.find((e) => e.status === 'unmet' && (c.kinds.length === 0 || c.kinds.includes(e.kind)));
      return hit ? { matched: true, reason: `unmet expectation (${hit.kind}): "${hit.text.slice(0, 120)}"` } : { matched: false, reason: 'no unmet expectation' };
    }
    case 'follow_up_needed':
      return { matched: x.followUp.needed === c.value, reason: x.followUp.needed ? `follow-up needed${x.followUp.reason ? `: ${x.followUp.reason}` : ''}` : 'no follow-up needed' };
    case 'urgency_at_least': {
      const u = x.followUp.urgency;
      const ok = u !== null && URGENCY_ORDER.indexOf(u) >= URGENCY_ORDER.indexOf(c.level);
      return { matched: ok, reason: ok ? `urgency ${u} is at least ${c.level}` : `urgency ${u ?? 'none'} is below ${c.level}` };
    }
    case 'keywords': {
      for (const word of c.words) {
        const re = keywordPattern(word);
        if (ctx.facts.visitorTexts.some((t) => re.test(t))) return { matched: true, reason: `the visitor wrote "${word}"` };
      }
      return { matched: false, reason: 'none of the keywords' };
    }
    case 'language': {
      const lang = conversationLanguage(ctx);
      const ok = lang !== null && c.languages.some((l) => l.toLowerCase() === lang);
      return { matched: ok, reason: `language is ${lang ?? 'unknown'}` };
    }
    case 'flow':
      return { matched: ctx.facts.flowId !== null && c.flowIds.includes(ctx.facts.flowId), reason: `flow is ${ctx.facts.flowId ?? 'none'}` };
    case 'source':
      return { matched: c.sources.includes(ctx.facts.source), reason: `source is ${ctx.facts.source}` };
    case 'verified_visitor':
      return { matched: ctx.facts.visitorVerified === c.value, reason: ctx.facts.visitorVerified ? 'verified visitor' : 'visitor not verified' };
  }
}

/** a rule matches when all (or any) of its conditions do; the reasons are those that matched */
export function evaluateRule(rule: Pick<Rule, 'match' | 'conditions'>, ctx: RuleContext): { matched: boolean; reasons: string[] } {
  const results = rule.conditions.map((c) => evaluateCondition(c, ctx));
  const matched = rule.match === 'all' ? results.every((r) => r.matched) : results.some((r) => r.matched);
  return { matched, reasons: results.filter((r) => r.matched).map((r) => r.reason) };
}
