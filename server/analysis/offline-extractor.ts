/**
 * The default extractor: no network, no API key. Reads the visitor's messages in their language
 * (en, de, fr, es; server/text/language.ts): sentiment (lang/rule-sentiment.ts, plus the trained
 * model for English), topics of the site's taxonomy (English definitions matched against an
 * English gloss of other languages), expectations, follow-up intents, contact details, ratings
 * and an extractive two-sentence summary in the conversation's language.
 */
import type { ConversationLanguage, Extraction } from '../../shared/extraction.ts';
import type { Topic } from '../../shared/site.ts';
import { detectLanguage, languageOf, widgetLangOf } from '../text/language.ts';
import { countryOf, findContact } from './contact.ts';
import { findExpectations } from './expectations.ts';
import type { ExtractionInput, Extractor } from './extractor-types.ts';
import { decideFollowUp } from './follow-up.ts';
import { keyPhrases } from './key-phrases.ts';
import { glossToEnglish } from './lang/gloss.ts';
import { CRITICAL_INTENTS, demandsRefund, findIntents, type Intent } from './lang/intents.ts';
import { splitSentences } from './lang/tokens.ts';
import { answeredRatings, inferRating, npsCategory } from './ratings.ts';
import { labelFor, NEUTRAL_BAND, resetSentimentMemo, scoreSentiment, type SentimentResult } from './sentiment.ts';
import { summarize } from './summary.ts';
import { createConceptScorer } from './topic-concepts.ts';
import { createTopicMatcher, type TopicMatcher } from './topic-matcher.ts';

export const OFFLINE_VERSION = 'offline@2';
/** a topic must score at least this in one visitor sentence to be listed */
const TOPIC_MIN_SCORE = 0.3;
const MAX_TOPICS = 3;
/** weight of the concept route (topic-concepts.ts) against the kNN's score */
const CONCEPT_WEIGHT = 0.8;
const REQUESTS: ReadonlySet<Intent> = new Set(['callback', 'notify', 'refund', 'replacement', 'cancel']);

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Topic matchers are built once per taxonomy (sites rarely change theirs). */
function matcherCache() {
  const cache = new Map<string, TopicMatcher>();
  return (topics: Topic[]): TopicMatcher => {
    const key = JSON.stringify(topics);
    let m = cache.get(key);
    if (!m) {
      if (cache.size > 50) cache.clear();
      const knn = createTopicMatcher(topics);
      const concepts = createConceptScorer(topics);
      // the better of the two routes per topic; the lexical one counts a little less
      m = {
        match(text: string) {
          const best = new Map<string, number>();
          for (const t of knn.match(text)) best.set(t.name, t.score);
          for (const t of concepts(text)) best.set(t.name, Math.max(best.get(t.name) ?? 0, CONCEPT_WEIGHT * t.score));
          return [...best].map(([name, score]) => ({ name, score })).sort((a, b) => b.score - a.score);
        },
      };
      cache.set(key, m);
    }
    return m;
  };
}

/** a contact line ("Mi correo: ana@x.es", "my number: 020 ...") is not a subject of the conversation */
const CONTACT_LINE = /(?:(?:my|mi|mon|ma|meine?)\s+)?(?:e-?mail|correo|courriel|mail|number|número|numéro|nummer|phone|teléfono|téléphone|telefon|handy)\s*:?\s*(?=[\p{L}\p{N}._%+-]+@|\+?\d)/giu;
const EMAIL_OR_PHONE = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}|\+?\d[\d\s().-]{6,}\d/gu;
export const withoutContact = (s: string) => s.replace(CONTACT_LINE, ' ').replace(EMAIL_OR_PHONE, ' ');

/**
 * The conversation's language: detected from all visitor text when that is reliable, else the
 * locale's, else whatever detection leaned to; null when nothing tells (read as English).
 */
export function conversationLanguage(visitorText: string, locale: string | null | undefined): ConversationLanguage | null {
  const detected = detectLanguage(visitorText);
  if (detected.reliable && detected.lang) return detected.lang;
  if (locale) return widgetLangOf(locale);
  return detected.lang;
}

export function createOfflineExtractor(now: () => number = Date.now): Extractor {
  const matcherFor = matcherCache();
  return {
    kind: 'offline',
    version: OFFLINE_VERSION,
    async extract(input: ExtractionInput): Promise<Extraction> {
      resetSentimentMemo();
      const visitor = input.messages.filter((m) => m.author === 'visitor' && m.text.trim());
      const texts = visitor.map((m) => m.text);
      const language = conversationLanguage(texts.join('\n'), input.locale);
      const lang = language ?? 'en';

      const read = visitor.map((m) => {
        const msgLang = languageOf(m.text, lang);
        const intents = findIntents(m.text, msgLang);
        const request = [...intents].some((i) => REQUESTS.has(i)) || /\?\s*$/.test(m.text);
        const sentences = splitSentences(m.text);
        // a reported defect, a broken promise or a threat is bad news in any wording
        const extraValence = (intents.has('problem') ? -1 : 0) + (intents.has('contact_broken') ? -1.5 : 0) + ([...intents].some((i) => CRITICAL_INTENTS.has(i)) ? -2 : 0);
        return { m, lang: msgLang, intents, request, sentences, sentiment: scoreSentiment(m.text, msgLang, { request, extraValence }) };
      });
      const perMessage = read.map((r) => ({ messageId: r.m.id, score: round(r.sentiment.score) }));
      // Longer messages say more: weight by the square root of their length in words. Messages
      // with no opinion at all ("9", "my order is 4471") do not dilute the ones that have one.
      let sum = 0;
      let weight = 0;
      read.forEach((r, i) => {
        if (perMessage[i]!.score === 0) return;
        const w = Math.sqrt(r.m.text.split(/\s+/).length);
        sum += w * perMessage[i]!.score;
        weight += w;
      });
      let score = round(weight ? sum / weight : 0);
      let label = labelFor(score);
      const hasOpinion = perMessage.some((p) => p.score !== 0);

      const ratings = answeredRatings(input.answers, input.scales);
      if (!ratings.length) {
        const inferred = inferRating(texts, score, hasOpinion);
        if (inferred) ratings.push(inferred);
      }
      const nps = npsCategory(ratings);

      const sentenceScores = new Map<string, SentimentResult>();
      const scoreOnce = (s: string, l: ConversationLanguage) => {
        const key = `${l}\u0000${s}`;
        let r = sentenceScores.get(key);
        if (!r) sentenceScores.set(key, (r = scoreSentiment(s, l)));
        return r;
      };

      const matcher = matcherFor(input.topics);
      const topicScores = new Map<string, number>();
      // Per sentence: one message often raises several subjects, and mixed text matches none well.
      for (const r of read) {
        for (const s of r.sentences) {
          const english = glossToEnglish(withoutContact(s), r.lang);
          if (english.split(/\s+/).filter(Boolean).length < (r.lang === 'en' ? 2 : 1)) continue;
          for (const ts of matcher.match(english)) topicScores.set(ts.name, Math.max(topicScores.get(ts.name) ?? 0, ts.score));
        }
      }
      const topics = [...topicScores]
        .filter(([, s]) => s >= TOPIC_MIN_SCORE)
        .sort((a, b) => b[1] - a[1])
        .slice(0, MAX_TOPICS)
        .map(([name, s]) => ({ name, score: round(s) }));

      const allSentences = read.flatMap((r) => r.sentences);
      const expectations = findExpectations(allSentences, lang, (s) => scoreOnce(s, lang));
      // an expectation the customer says went unmet is a bad experience, however calmly put
      if (label === 'neutral' && expectations.some((e) => e.status === 'unmet')) {
        score = round(Math.min(score, -NEUTRAL_BAND));
        label = labelFor(score);
      }
      const intents = new Set(read.flatMap((r) => [...r.intents]));
      const followUp = decideFollowUp({
        intents,
        sentiment: label,
        nps,
        expectations,
        needsHuman: input.needsHuman,
        contact: findContact(texts, countryOf(input.locale) ?? countryOf(language)),
        refundDemanded: read.some((r) => demandsRefund(r.m.text, r.lang)),
      });
      const phrases = lang === 'en' ? keyPhrases(texts, (p) => matcher.match(p).some((m) => m.score >= 0.6)) : [];
      const expectationTexts = expectations.map((e) => e.text);
      const summary = summarize(
        read.flatMap((r) =>
          r.sentences.map((s) => ({
            text: s,
            strength: Math.abs(scoreOnce(s, r.lang).score),
            intents: findIntents(s, r.lang),
            expectation: expectationTexts.some((t) => t.includes(s.slice(0, 150))),
          })),
        ),
        lang,
        followUp,
      );

      return {
        conversationId: input.conversationId,
        extractor: 'offline',
        extractorVersion: OFFLINE_VERSION,
        fellBack: false,
        ratings,
        npsCategory: nps,
        sentiment: { label, score, messages: perMessage },
        topics,
        keyPhrases: phrases,
        summary,
        expectations,
        followUp,
        createdAt: now(),
        language,
        summaryLanguage: lang,
      };
    },
  };
}
