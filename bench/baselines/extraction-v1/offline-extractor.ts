/** The default extractor: wink-nlp, VADER and rules; no network, no API key. */
import type { Extraction } from '../../../shared/extraction.ts';
import { findContact } from './contact.ts';
import { findExpectations } from './expectations.ts';
import type { ExtractionInput, Extractor } from '../../../server/analysis/extractor-types.ts';
import { decideFollowUp } from './follow-up.ts';
import { keyPhrases } from './key-phrases.ts';
import { sentences } from './nlp.ts';
import { answeredRatings, inferRating, npsCategory } from './ratings.ts';
import { labelFor, scoreSentiment, type SentimentResult } from './sentiment.ts';
import { summarize } from './summary.ts';
import { createTopicMatcher, type TopicMatcher } from './topic-matcher.ts';
import type { Topic } from '../../../shared/site.ts';

export const OFFLINE_VERSION = 'offline@1';
/** a topic must score at least this in one visitor sentence to be listed */
const TOPIC_MIN_SCORE = 0.3;
const MAX_TOPICS = 3;

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Topic matchers are built once per taxonomy (sites rarely change theirs). */
function matcherCache() {
  const cache = new Map<string, TopicMatcher>();
  return (topics: Topic[]): TopicMatcher => {
    const key = JSON.stringify(topics);
    let m = cache.get(key);
    if (!m) {
      if (cache.size > 50) cache.clear();
      cache.set(key, (m = createTopicMatcher(topics)));
    }
    return m;
  };
}

export function createOfflineExtractor(now: () => number = Date.now): Extractor {
  const matcherFor = matcherCache();
  return {
    kind: 'offline',
    version: OFFLINE_VERSION,
    async extract(input: ExtractionInput): Promise<Extraction> {
      const visitor = input.messages.filter((m) => m.author === 'visitor' && m.text.trim());
      const texts = visitor.map((m) => m.text);
      const allText = texts.join('\n');

      const perMessage = visitor.map((m) => ({ messageId: m.id, score: round(scoreSentiment(m.text).score) }));
      // Longer messages say more: weight by the square root of their length in words.
      let sum = 0;
      let weight = 0;
      visitor.forEach((m, i) => {
        const w = Math.sqrt(m.text.split(/\s+/).length);
        sum += w * perMessage[i]!.score;
        weight += w;
      });
      const score = round(weight ? sum / weight : 0);
      const label = labelFor(score);
      const hasOpinion = perMessage.some((p) => p.score !== 0);

      const ratings = answeredRatings(input.answers, input.scales);
      if (!ratings.length) {
        const inferred = inferRating(allText, score, hasOpinion);
        if (inferred) ratings.push(inferred);
      }
      const nps = npsCategory(ratings);

      const matcher = matcherFor(input.topics);
      const visitorSentences = texts.flatMap((t) => sentences(t));
      // Expectations and the summary both weigh sentences: score each once.
      const sentenceScores = new Map<string, SentimentResult>();
      const scoreOnce = (s: string) => {
        let r = sentenceScores.get(s);
        if (!r) sentenceScores.set(s, (r = scoreSentiment(s)));
        return r;
      };
      const topicScores = new Map<string, number>();
      // Per sentence: one message often raises several subjects, and mixed text matches none well.
      for (const s of visitorSentences) {
        if (s.split(/\s+/).length < 2) continue;
        for (const ts of matcher.match(s)) topicScores.set(ts.name, Math.max(topicScores.get(ts.name) ?? 0, ts.score));
      }
      const topics = [...topicScores]
        .filter(([, s]) => s >= TOPIC_MIN_SCORE)
        .sort((a, b) => b[1] - a[1])
        .slice(0, MAX_TOPICS)
        .map(([name, s]) => ({ name, score: round(s) }));

      const expectations = findExpectations(visitorSentences, scoreOnce);
      const followUp = decideFollowUp({
        visitorText: allText,
        sentiment: label,
        nps,
        expectations,
        needsHuman: input.needsHuman,
        contact: findContact(texts),
      });
      const phrases = keyPhrases(texts, (p) => matcher.match(p).some((m) => m.score >= 0.6));
      let telling: string | null = null;
      let tellingScore = 0;
      for (const s of visitorSentences) {
        const v = Math.abs(scoreOnce(s).score);
        if (v > tellingScore && s.split(/\s+/).length >= 3) [telling, tellingScore] = [s.trim(), v];
      }

      const partial = {
        conversationId: input.conversationId,
        extractor: 'offline' as const,
        extractorVersion: OFFLINE_VERSION,
        fellBack: false,
        ratings,
        npsCategory: nps,
        sentiment: { label, score, messages: perMessage },
        topics,
        keyPhrases: phrases,
        expectations,
        followUp,
        createdAt: now(),
      };
      return { ...partial, summary: summarize(partial, telling) };
    },
  };
}
