/** Test helpers: a store with a shop site (demo topics) and ended conversations to analyse. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Answer } from '../../shared/flow.ts';
import type { Author } from '../../shared/message.ts';
import { Topic } from '../../shared/site.ts';
import { openDb } from '../store/db.ts';
import { createStore, type Store } from '../store/index.ts';
import type { ExtractionInput } from './extractor-types.ts';

export const DEMO_TOPICS = z
  .array(Topic)
  .parse(JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../examples/topics.json'), 'utf8')));

export const DETRACTOR: { answers: Answer[]; lines: [Author, string][] } = {
  answers: [{ questionId: 'nps', type: 'nps', value: 2, raw: '2', elaborations: [], answeredAt: 1 }],
  lines: [
    ['bot', 'How likely are you to recommend us to a friend?'],
    ['visitor', '2'],
    ['bot', 'Sorry to hear that. What went wrong?'],
    ['visitor', 'My order was supposed to arrive within a week. It still has not arrived after three weeks and nobody answers my emails. This is terrible.'],
    ['visitor', 'Please call me back on +1 415 555 0134.'],
  ],
};

export const PROMOTER: { answers: Answer[]; lines: [Author, string][] } = {
  answers: [{ questionId: 'nps', type: 'nps', value: 10, raw: '10', elaborations: [], answeredAt: 1 }],
  lines: [
    ['bot', 'How likely are you to recommend us to a friend?'],
    ['visitor', '10'],
    ['bot', 'Wonderful! What do you like most?'],
    ['visitor', 'Love the shop! The dress fits perfectly and delivery was fast. Great quality, thank you.'],
  ],
};

export function inputOf(fixture: { answers: Answer[]; lines: [Author, string][] }, conversationId = 'c1'): ExtractionInput {
  return {
    conversationId,
    messages: fixture.lines.map(([author, text], i) => ({ id: i + 1, author, text })),
    answers: fixture.answers,
    scales: {},
    topics: DEMO_TOPICS,
    needsHuman: false,
  };
}

export async function shopStore(path = ':memory:'): Promise<{ store: Store; siteId: string }> {
  const store = createStore(openDb(path));
  const site = await store.sites.create({ key: 'shop', name: 'Shop', allowedOrigins: ['https://shop.test'], settings: { topics: DEMO_TOPICS } });
  return { store, siteId: site.id };
}

/** An ended conversation with its extract job enqueued in the same transaction, as the service does. */
export function seedEnded(store: Store, siteId: string, fixture: { answers: Answer[]; lines: [Author, string][] }): Promise<string> {
  return store.tx(async () => {
    const c = await store.conversations.create({ siteId, visitorId: null, flowId: null });
    for (const [author, text] of fixture.lines) await store.messages.append(c.id, { author, text });
    for (const a of fixture.answers) await store.answers.upsert(c.id, a);
    await store.conversations.end(c.id, 'completed');
    await store.jobs.enqueue('extract', { conversationId: c.id }, { dedupeKey: `extract:${c.id}` });
    return c.id;
  });
}
