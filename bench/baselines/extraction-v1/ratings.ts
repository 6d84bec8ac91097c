/**
 * Ratings: every answered NPS/CSAT/CES/star question, plus one inferred from free text when none
 * was answered — from an explicit score the visitor wrote ("8/10", "2 stars"), else from sentiment.
 */
import type { NpsCategory, Rating } from '../../../shared/extraction.ts';
import { RATING_SCALES, type Answer } from '../../../shared/flow.ts';

const RATING_TYPES = new Set(['nps', 'csat', 'ces', 'stars']);

export function answeredRatings(answers: Answer[], scales: Record<string, [number, number]>): Rating[] {
  const out: Rating[] = [];
  for (const a of answers) {
    if (!RATING_TYPES.has(a.type) || typeof a.value !== 'number') continue;
    const type = a.type as Rating['type'];
    const [scaleMin, scaleMax] = scales[a.questionId] ?? (type === 'stars' ? [1, 5] : RATING_SCALES[type]);
    out.push({ questionId: a.questionId, type, value: a.value, scaleMin, scaleMax, inferred: false, confidence: 1 });
  }
  return out;
}

const OUT_OF = /\b(\d{1,2}(?:\.\d)?)\s*(?:\/|out of)\s*(5|10)\b/i;
const STARS = /\b([1-5])\s*stars?\b/i;

/** A rating the visitor wrote in words, or one inferred from sentiment (low confidence). */
export function inferRating(visitorText: string, sentimentScore: number, hasOpinion: boolean): Rating | null {
  const outOf = OUT_OF.exec(visitorText);
  if (outOf) {
    const value = Number(outOf[1]);
    const max = Number(outOf[2]);
    if (value <= max) {
      return max === 10
        ? { questionId: null, type: 'nps', value: Math.round(value), scaleMin: 0, scaleMax: 10, inferred: true, confidence: 0.8 }
        : { questionId: null, type: 'stars', value, scaleMin: 1, scaleMax: 5, inferred: true, confidence: 0.8 };
    }
  }
  const stars = STARS.exec(visitorText);
  if (stars) return { questionId: null, type: 'stars', value: Number(stars[1]), scaleMin: 1, scaleMax: 5, inferred: true, confidence: 0.8 };
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
