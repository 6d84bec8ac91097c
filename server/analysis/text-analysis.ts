/** Offline analysis of one free-text piece of feedback (the `analyze` CLI's unit of work). */
import type { FollowUp, SentimentLabel } from '../../shared/extraction.ts';
import type { Topic } from '../../shared/site.ts';
import { findContact } from './contact.ts';
import { findExpectations } from './expectations.ts';
import { decideFollowUp } from './follow-up.ts';
import { sentences } from './nlp.ts';
import { scoreSentiment } from './sentiment.ts';
import { createTopicMatcher, type TopicScore } from './topic-matcher.ts';

export interface TextAnalysis {
  text: string;
  sentiment: { label: SentimentLabel; score: number };
  topics: TopicScore[];
  followUp: FollowUp;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function createTextAnalyzer(topics: Topic[], minTopicScore = 0.3) {
  const matcher = createTopicMatcher(topics);
  return (text: string): TextAnalysis => {
    const s = scoreSentiment(text);
    return {
      text,
      sentiment: { label: s.label, score: round(s.score) },
      topics: matcher
        .match(text)
        .filter((t) => t.score >= minTopicScore)
        .slice(0, 3)
        .map((t) => ({ name: t.name, score: round(t.score) })),
      followUp: decideFollowUp({
        visitorText: text,
        sentiment: s.label,
        nps: null,
        expectations: findExpectations(sentences(text)),
        needsHuman: false,
        contact: findContact([text]),
      }),
    };
  };
}
