/**
 * Which knowledge-base entry answers a support question, or none: the offline decision, and the
 * passages an LLM gets to see. An entry answers when it covers enough of the question's weight
 * (coverage), or a little less with two or more strong words (mass). A
 * near-miss ("a discount for nurses?" when the KB only knows discount codes) covers one word of
 * two and says "I don't know" instead of showing the wrong article.
 *
 * The thresholds were chosen on bench/eval/support-calibration.json (held out from
 * the evaluation set bench/eval/support-questions.json) by bench/support-calibrate.ts.
 *
 * Follow-ups: an elliptical question ("and to Canada?", "und nach Österreich?") that does not
 * stand on its own is read together with the previous question.
 */
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import type { KbHit, KbSearch, KnowledgeBase } from './knowledge-base.ts';
import { fold, words } from './kb-terms.ts';

export interface Calibration {
  /** coverage that is enough on its own */
  threshold: number;
  /** a lower coverage is enough when two or more words match with this much summed idf */
  lowThreshold: number;
  minMass: number;
}

export const CALIBRATION: Calibration = { threshold: 0.5, lowThreshold: 0.2, minMass: 3.5 };

/** the previous question the bot answered, for follow-ups */
export interface SupportMemory {
  question: string;
  entryId: string | null;
}

export interface Retrieval {
  /** the best entries, best first, even weak ones (an LLM judges them itself) */
  hits: KbHit[];
  /** the entry the offline path answers with; null = "I don't know" */
  answer: KbHit | null;
  /** the question as searched (with the previous one for a follow-up) */
  query: string;
  followUp: boolean;
}

export function isConfident(hit: KbHit | undefined, c: Calibration = CALIBRATION): hit is KbHit {
  if (!hit) return false;
  return hit.coverage >= c.threshold || (hit.coverage >= c.lowThreshold && hit.matched.length >= 2 && hit.mass >= c.minMass);
}

const CONTINUATION = new Set(['and', 'also', 'what', 'how', 'und', 'auch', 'was', 'wie', 'et', 'aussi', 'quid', 'y', 'también', 'tambien', 'que', 'qué']);
const CONTINUATION_PHRASES = /^(and|what about|how about|also|same for|und|was ist mit|wie ist es mit|gilt das auch|et|et pour|et si|qu'en est-il|pareil pour|y|y para|y si|y a|y en|¿y|lo mismo para|también)\b/i;

/** a short question that leans on the one before ("and to Canada?", "et en express ?") */
export function isElliptical(text: string): boolean {
  const t = text.trim().toLowerCase().replace(/^[¿¡\s]+/, '');
  const ws = words(t);
  if (ws.length === 0) return false;
  if (CONTINUATION_PHRASES.test(t) && ws.length <= 7) return true;
  return ws.length <= 3 && CONTINUATION.has(fold(ws[0] ?? ''));
}

function searchOf(kb: KnowledgeBase, siteId: string, query: string, lang: WidgetLang, limit: number): KbSearch {
  return kb.lookup(siteId, query, lang, limit);
}

export function retrieve(kb: KnowledgeBase, siteId: string, question: string, lang: WidgetLang, memory: SupportMemory | null, c: Calibration = CALIBRATION, limit = 3): Retrieval {
  const own = searchOf(kb, siteId, question, lang, limit);
  const ownBest = own.hits[0];
  if (isConfident(ownBest, c) || !memory || !isElliptical(question)) {
    return { hits: own.hits, answer: isConfident(ownBest, c) ? ownBest : null, query: question, followUp: false };
  }
  const query = `${memory.question} ${question}`;
  const joint = searchOf(kb, siteId, query, lang, limit);
  const best = joint.hits[0];
  const answer = isConfident(best, c) ? best : null;
  return { hits: joint.hits, answer, query, followUp: true };
}
