/** Offline analysis of one free-text piece of feedback (the `analyze` CLI's unit of work). */
import type { ConversationLanguage, FollowUp, SentimentLabel } from '../../shared/extraction.ts';
import type { Topic } from '../../shared/site.ts';
import { createOfflineExtractor } from './offline-extractor.ts';

export interface TextAnalysis {
  text: string;
  language: ConversationLanguage | null;
  sentiment: { label: SentimentLabel; score: number };
  topics: { name: string; score: number }[];
  followUp: FollowUp;
}

/** The offline extractor on a one-message conversation, reduced to what a feedback row needs. */
export function createTextAnalyzer(topics: Topic[]) {
  const extractor = createOfflineExtractor();
  return async (text: string): Promise<TextAnalysis> => {
    const e = await extractor.extract({
      conversationId: 'text',
      messages: [{ id: 1, author: 'visitor', text }],
      answers: [],
      scales: {},
      topics,
      needsHuman: false,
    });
    return { text, language: e.language ?? null, sentiment: { label: e.sentiment.label, score: e.sentiment.score }, topics: e.topics, followUp: e.followUp };
  };
}
