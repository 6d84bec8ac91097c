/**
 * Ratings: every answered NPS/CSAT/CES/star question, plus one inferred from free text when none
 * was answered: from a score the customer gave the business ("I'd give you a 4 out of 10", "ich
 * gebe 8 von 10", "je vous donne 9/10", "le doy un 7 de 10", or a message that is only "8/10"),
 * else from sentiment. A score of something else ("the packaging was a 3/10") or one with no
 * rating words around it is not taken: when unsure, nothing is inferred.
 */
import type { NpsCategory, Rating } from '../../shared/extraction.ts';
import { RATING_SCALES, type Answer } from '../../shared/flow.ts';
import { splitSentences, words } from './lang/tokens.ts';

const RATING_TYPES = new Set(['nps', 'csat', 'ces', 'stars']);

export function answeredRatings(answers: Answer[], scales: Record<string, [number, number]>): Rating[] {
  const out: Rating[] = [];
  for (const a of answers) {
    if (!RATING_TYPES.has(a.type) || typeof a.value !== 'number') continue;
    const type = a.type as Rating['type'];
    const scale = Object.hasOwn(scales, a.questionId) ? scales[a.questionId] : undefined;
    const [scaleMin, scaleMax] = scale ?? (type === 'stars' ? [1, 5] : RATING_SCALES[type]);
    out.push({ questionId: a.questionId, type, value: a.value, scaleMin, scaleMax, inferred: false, confidence: 1 });
  }
  return out;
}

const OUT_OF = /(?<![\d.,/])(\d{1,2}(?:[.,]\d)?)\s*(?:\/|out of|von|aus|sur|de|sobre)\s*(5|10)(?!\d|[.,]\d)/iu;
const STARS = /(?<!\d)([1-5])\s*(?:stars?|sterne?n?|étoiles?|estrellas?)(?!\p{L})/iu;
/** the customer rates the business: a rating verb, or "you"/"overall" with the score */
const RATING_CUE = words(
  "(?:i'?d|i would|i will|i'?ll|i) (?:give|rate|score)", 'giving', 'rating', 'my score', 'overall', 'you guys get', 'you get', 'deserve\\p{L}*', 'rate (?:you|this|the (?:shop|store|service))',
  'gebe?', 'geben', 'bewert\\p{L}*', 'note', 'insgesamt', 'vergebe',
  'donne', 'donnerais', 'je mets', 'globalement', 'au total',
  'doy', 'daría', 'puntuación', 'califico', 'le pongo', 'en general',
);
/** a part of the experience is being scored, not the business */
const PART = words('packaging', 'packing', 'box', 'delivery', 'shipping', 'courier', 'app', 'website', 'site', 'food', 'photos?', 'verpackung', 'lieferung', 'emballage', 'livraison', 'embalaje', 'envío', 'entrega');

function ratingSentence(text: string, re: RegExp): { match: RegExpExecArray; sentence: string } | null {
  for (const sentence of splitSentences(text)) {
    const match = re.exec(sentence);
    if (match) return { match, sentence };
  }
  return null;
}

/** true when the score in `sentence` is a rating of the business (see RATING_CUE / PART) */
function ratesTheBusiness(sentence: string, matched: string, wholeMessage: boolean): boolean {
  if (wholeMessage) return true;
  const before = sentence.slice(0, sentence.indexOf(matched));
  if (PART.test(before) && !/\b(?:you|overall|insgesamt|globalement|en general)\b/i.test(before)) return false;
  return RATING_CUE.test(sentence);
}

/** A rating the visitor wrote in words, or one inferred from sentiment (low confidence). */
export function inferRating(visitorMessages: string[], sentimentScore: number, hasOpinion: boolean): Rating | null {
  for (const message of visitorMessages) {
    const alone = (re: RegExp) => new RegExp(`^\\s*${re.source}\\s*[.!]*\\s*$`, 'iu').test(message);
    const outOf = ratingSentence(message, OUT_OF);
    if (outOf && ratesTheBusiness(outOf.sentence, outOf.match[0], alone(OUT_OF))) {
      const value = Number(outOf.match[1]!.replace(',', '.'));
      const max = Number(outOf.match[2]);
      if (value <= max) {
        return max === 10
          ? { questionId: null, type: 'nps', value: Math.round(value), scaleMin: 0, scaleMax: 10, inferred: true, confidence: 0.8 }
          : { questionId: null, type: 'stars', value, scaleMin: 1, scaleMax: 5, inferred: true, confidence: 0.8 };
      }
    }
    const stars = ratingSentence(message, STARS);
    if (stars && ratesTheBusiness(stars.sentence, stars.match[0], alone(STARS))) {
      return { questionId: null, type: 'stars', value: Number(stars.match[1]), scaleMin: 1, scaleMax: 5, inferred: true, confidence: 0.8 };
    }
  }
  if (!hasOpinion) return null;
  // Map [-1, 1] onto a 1-5 CSAT; confidence grows with how clear the sentiment is, capped well below an answer.
  const value = Math.min(5, Math.max(1, Math.round(3 + 2 * sentimentScore)));
  return { questionId: null, type: 'csat', value, scaleMin: 1, scaleMax: 5, inferred: true, confidence: Math.round((0.3 + 0.4 * Math.abs(sentimentScore)) * 100) / 100 };
}

export function npsCategory(ratings: Rating[]): NpsCategory | null {
  const nps = ratings.find((r) => r.type === 'nps' && !r.inferred) ?? ratings.find((r) => r.type === 'nps');
  if (!nps) return null;
  if (nps.value >= 9) return 'promoter';
  if (nps.value >= 7) return 'passive';
  return 'detractor';
}
