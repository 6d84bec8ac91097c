import { describe, expect, it } from 'vitest';
import { DETRACTOR, PROMOTER, seedEnded, shopStore } from '../analysis/test-fixtures.ts';
import { createLogger } from '../logger.ts';
import { startJobWorker } from './extraction-worker.ts';

describe('startJobWorker (as main.ts runs it)', () => {
  it('extracts conversations as they end, once each', async () => {
    const { store, siteId } = await shopStore();
    const worker = startJobWorker({ store, llm: null, log: createLogger('silent') });
    try {
      const a = await seedEnded(store, siteId, DETRACTOR);
      const b = await seedEnded(store, siteId, PROMOTER);
      worker.wake();
      await worker.drain();
      expect((await store.extractions.get(a))?.followUp.urgency).toBe('high');
      expect((await store.extractions.get(b))?.npsCategory).toBe('promoter');
      expect(await store.jobs.counts()).toMatchObject({ done: 2, pending: 0, running: 0 });
    } finally {
      await worker.stop();
    }
  });

  it('sends a job it cannot run to dead with the reason, leaving the rest to work', async () => {
    const { store, siteId } = await shopStore();
    await store.jobs.enqueue('extract', { wrong: true });
    const id = await seedEnded(store, siteId, PROMOTER);
    const worker = startJobWorker({ store, llm: null, log: createLogger('silent') });
    try {
      await worker.drain();
    } finally {
      await worker.stop();
    }
    expect(await store.extractions.get(id)).not.toBeNull();
    // a malformed payload can never succeed: dead after one attempt, not retried for minutes
    const dead = await store.jobs.listByStatus('dead');
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ attempts: 1, payload: { wrong: true } });
    expect(dead[0]!.lastError).toMatch(/invalid extract payload[\s\S]*conversationId/);
  });

  it('runs the after-extraction steps on each stored extraction, re-analysis included', async () => {
    const { store, siteId } = await shopStore();
    const seen: string[] = [];
    const worker = startJobWorker({
      store,
      llm: null,
      log: createLogger('silent'),
      afterExtraction: [(e) => void seen.push(`${e.conversationId}:${e.npsCategory}`)],
    });
    try {
      const id = await seedEnded(store, siteId, PROMOTER);
      await worker.drain();
      expect(seen).toEqual([`${id}:promoter`]);
      await store.jobs.enqueue('extract', { conversationId: id });
      await worker.drain();
      expect(seen).toEqual([`${id}:promoter`, `${id}:promoter`]);
    } finally {
      await worker.stop();
    }
  });
});
