import { describe, expect, it } from 'vitest';
import { createJobWorker } from '../jobs/worker.ts';
import { createLogger } from '../logger.ts';
import { LlmError, type LlmClient } from '../llm/types.ts';
import { createExtractionService } from './extraction-service.ts';
import { seedEnded, shopStore } from './test-fixtures.ts';

const log = createLogger('silent');

describe('extract job (offline)', () => {
  it('visitor words that are Object.prototype names give finite scores and a stored record', async () => {
    const { store, siteId } = await shopStore();
    const id = await seedEnded(store, siteId, {
      answers: [],
      lines: [
        ['bot', 'What could we do better?'],
        ['visitor', 'constructor'],
        ['visitor', '__proto__ hasOwnProperty valueOf toString'],
        ['visitor', 'Das constructor __proto__ ist toll, aber hasOwnProperty ist kaputt.'],
      ],
    });
    const service = createExtractionService({ extractions: store.extractions, llm: null, log });
    const worker = createJobWorker({ jobs: store.jobs, handlers: { extract: (p) => service.handleJob(p) }, log });
    await worker.drain();
    expect(await store.jobs.counts()).toMatchObject({ done: 1, dead: 0, pending: 0 });
    expect((await store.jobs.listByStatus('done'))[0]?.lastError).toBeNull();
    const e = (await store.extractions.get(id))!;
    expect(e.sentiment.messages).toHaveLength(3);
    for (const m of e.sentiment.messages) expect(Number.isFinite(m.score)).toBe(true);
    expect(Number.isFinite(e.sentiment.score)).toBe(true);
    expect(e.topics.every((t) => Number.isFinite(t.score))).toBe(true);
  });

  it("reads the visitor's locale: an Austrian number typed nationally", async () => {
    const { store, siteId } = await shopStore();
    const id = await store.tx(async () => {
      const { visitor } = await store.visitors.create(siteId, 'de-AT');
      const c = await store.conversations.create({ siteId, visitorId: visitor.id, flowId: null });
      await store.messages.append(c.id, { author: 'visitor', text: 'Bitte um Rückruf, meine Nummer: 0664 1234567' });
      await store.conversations.end(c.id, 'completed');
      return c.id;
    });
    expect((await store.extractions.loadInput(id))?.locale).toBe('de-AT');
    const service = createExtractionService({ extractions: store.extractions, llm: null, log });
    const e = await service.extract(id);
    expect(e?.language).toBe('de');
    expect(e?.followUp).toMatchObject({ needed: true, contact: { phone: '0664 1234567' } });
  });

  it('leaves a conversation that reopened before its job ran, and analyses it whole when it ends again', async () => {
    const { store, siteId } = await shopStore();
    const id = await store.tx(async () => {
      const c = await store.conversations.create({ siteId, visitorId: null, flowId: null });
      await store.messages.append(c.id, { author: 'visitor', text: 'The app is fine.' });
      await store.conversations.end(c.id, 'idle');
      await store.jobs.enqueue('extract', { conversationId: c.id }, { dedupeKey: `extract:${c.id}` });
      return c.id;
    });
    // the visitor's late reply reopens it before the worker got to the job
    await store.tx(async () => {
      expect(await store.conversations.reopenIdle(id)).toBe(true);
      await store.messages.append(id, { author: 'visitor', text: 'Actually the parcel was two weeks late, I am really disappointed.' });
    });
    const service = createExtractionService({ extractions: store.extractions, llm: null, log });
    const worker = createJobWorker({ jobs: store.jobs, handlers: { extract: (p) => service.handleJob(p) }, log });
    await worker.drain();
    expect(await store.extractions.get(id)).toBeNull();
    // ended again: a new job (the first gave its dedupe key back), over the whole transcript
    await store.tx(async () => {
      await store.conversations.end(id, 'visitor');
      await store.jobs.enqueue('extract', { conversationId: id }, { dedupeKey: `extract:${id}` });
    });
    await worker.drain();
    expect(await store.jobs.counts()).toMatchObject({ done: 2, dead: 0, pending: 0 });
    expect((await store.extractions.get(id))?.sentiment.label).toBe('negative');
  });

  it('does not keep an analysis that missed a reply which reopened the conversation meanwhile', async () => {
    const { store, siteId } = await shopStore();
    const id = await store.tx(async () => {
      const c = await store.conversations.create({ siteId, visitorId: null, flowId: null });
      await store.messages.append(c.id, { author: 'visitor', text: 'All good so far.' });
      await store.conversations.end(c.id, 'idle');
      return c.id;
    });
    // while the model works, the visitor's queued reply reopens it and the conversation ends again
    const llm: LlmClient = {
      model: 'slow',
      async complete() {
        await store.tx(async () => {
          await store.conversations.reopenIdle(id);
          await store.messages.append(id, { author: 'visitor', text: 'Update: the parcel never arrived, I am very disappointed.' });
          await store.conversations.end(id, 'visitor');
        });
        throw new LlmError('network', 'down');
      },
    };
    const service = createExtractionService({ extractions: store.extractions, llm, log });
    await expect(service.handleJob({ conversationId: id })).rejects.toThrow(/transcript grew/);
    expect(await store.extractions.get(id)).toBeNull();
    // the retry reads the whole transcript
    const offline = createExtractionService({ extractions: store.extractions, llm: null, log });
    await offline.handleJob({ conversationId: id });
    expect((await store.extractions.get(id))?.sentiment.label).toBe('negative');
  });
});
