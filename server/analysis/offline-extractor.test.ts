import { describe, expect, it } from 'vitest';
import { Extraction } from '../../shared/extraction.ts';
import { createOfflineExtractor } from './offline-extractor.ts';
import { DETRACTOR, inputOf, PROMOTER } from './test-fixtures.ts';

describe('offline extractor', () => {
  const extractor = createOfflineExtractor(() => 1_700_000_000_000);

  it('flags a detractor who asks for a call back: follow-up needed, high urgency, their phone number', async () => {
    const e = await extractor.extract(inputOf(DETRACTOR));
    expect(e.followUp.needed).toBe(true);
    expect(e.followUp.urgency).toBe('high');
    expect(e.followUp.contact.phone).toBe('+1 415 555 0134');
    expect(e.followUp.reason).toMatch(/contact/);
    expect(e.npsCategory).toBe('detractor');
    expect(e.sentiment.label).toBe('negative');
    expect(e.expectations).toContainEqual(expect.objectContaining({ kind: 'delivery', status: 'unmet' }));
    expect(e.topics.map((t) => t.name)).toContain('Delivery');
  });

  it('needs no follow-up for a happy promoter', async () => {
    const e = await extractor.extract(inputOf(PROMOTER));
    expect(e.followUp).toEqual({ needed: false, reason: null, urgency: null, contact: { email: null, phone: null } });
    expect(e.npsCategory).toBe('promoter');
    expect(e.sentiment.label).toBe('positive');
    expect(e.ratings).toEqual([expect.objectContaining({ type: 'nps', value: 10, inferred: false, confidence: 1 })]);
  });

  it('keeps a score per visitor message, so the turn of a chat is visible', async () => {
    const e = await extractor.extract(inputOf(DETRACTOR));
    expect(e.sentiment.messages.map((m) => m.messageId)).toEqual([2, 4, 5]);
    // The bare rating click carries no sentiment; the complaint is clearly negative.
    expect(e.sentiment.messages[0]!.score).toBe(0);
    expect(e.sentiment.messages[1]!.score).toBeLessThan(-0.5);
  });

  it('infers a rating from free text when no rating was answered, with lower confidence', async () => {
    const e = await extractor.extract({ ...inputOf(PROMOTER), answers: [] });
    const r = e.ratings[0]!;
    expect(r).toMatchObject({ inferred: true, questionId: null, type: 'csat' });
    expect(r.value).toBeGreaterThanOrEqual(4);
    expect(r.confidence).toBeLessThan(1);
    const written = await extractor.extract({ ...inputOf({ answers: [], lines: [['visitor', 'Honestly 3/10, the app keeps crashing']] }) });
    expect(written.ratings[0]).toMatchObject({ type: 'nps', value: 3, inferred: true });
    expect(written.npsCategory).toBe('detractor');
  });

  it('writes a two-sentence summary', async () => {
    const e = await extractor.extract(inputOf(DETRACTOR));
    expect(e.summary.split(/(?<=[.!?"])\s+(?=[A-Z])/)).toHaveLength(2);
    expect(e.summary).toMatch(/negative/);
  });

  it('produces records that survive a JSON round trip through the shared schema', async () => {
    for (const fixture of [DETRACTOR, PROMOTER]) {
      const e = await extractor.extract(inputOf(fixture));
      expect(Extraction.parse(JSON.parse(JSON.stringify(e)))).toEqual(e);
    }
  });

  it('handles a conversation in which the visitor said nothing', async () => {
    const e = await extractor.extract({ ...inputOf(PROMOTER), answers: [], messages: [{ id: 1, author: 'bot', text: 'Hi!' }] });
    expect(e.sentiment).toEqual({ label: 'neutral', score: 0, messages: [] });
    expect(e.ratings).toEqual([]);
    expect(e.followUp.needed).toBe(false);
  });
});
