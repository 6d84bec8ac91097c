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
    expect(e.followUp.reason).toMatch(/call/);
    expect(e.npsCategory).toBe('detractor');
    expect(e.sentiment.label).toBe('negative');
    // from expectation language ("was supposed to"), with the evidence ("still has not arrived")
    expect(e.expectations).toEqual([expect.objectContaining({ kind: 'delivery', status: 'unmet' })]);
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
    const written = await extractor.extract({ ...inputOf({ answers: [], lines: [['visitor', "I'd give you a 3/10, the app keeps crashing"]] }) });
    expect(written.ratings[0]).toMatchObject({ type: 'nps', value: 3, inferred: true });
    expect(written.npsCategory).toBe('detractor');
    // a score of something else is not an NPS answer
    const stray = await extractor.extract({ ...inputOf({ answers: [], lines: [['visitor', 'The packaging was a 3/10 but the mug is gorgeous, very happy.']] }) });
    expect(stray.npsCategory).toBeNull();
    expect(stray.ratings.every((r) => r.type !== 'nps')).toBe(true);
  });

  it('writes a two-sentence summary of what happened and what the customer wants', async () => {
    const e = await extractor.extract(inputOf(DETRACTOR));
    expect(e.summary.split(/(?<=[.!?"])\s+(?=[A-Z])/)).toHaveLength(2);
    expect(e.summary).toMatch(/three weeks/);
    expect(e.summary).toMatch(/call me back/);
  });

  it('records the conversation language and reads a German refund demand with a call-back request', async () => {
    const e = await extractor.extract({
      ...inputOf({
        answers: [],
        lines: [
          ['bot', 'Wie können wir helfen?'],
          ['visitor', 'Ich habe die Schuhe vor drei Wochen zurückgeschickt und warte immer noch auf mein Geld.'],
          ['visitor', 'Ich will meine Rückerstattung, bitte rufen Sie mich an: 0176 98765432'],
        ],
      }),
      locale: 'de-DE',
    });
    expect(e.language).toBe('de');
    expect(e.sentiment.label).toBe('negative');
    expect(e.followUp).toMatchObject({ needed: true, urgency: 'high', contact: { phone: '0176 98765432' } });
    expect(e.topics[0]?.name).toBe('Returns & refunds');
  });

  it('reads French and Spanish conversations: topics, expectations and follow-up', async () => {
    const fr = await extractor.extract(inputOf({ answers: [], lines: [['visitor', "On m'avait promis une livraison sous 48h. Ma commande n'est toujours pas arrivée, rappelez-moi svp."]] }));
    expect(fr).toMatchObject({ language: 'fr', followUp: { needed: true, urgency: 'high' } });
    expect(fr.expectations[0]).toMatchObject({ kind: 'delivery', status: 'unmet' });
    expect(fr.topics[0]?.name).toBe('Delivery');
    const es = await extractor.extract(inputOf({ answers: [], lines: [['visitor', 'El cargador se sobrecalentó y casi provoca un incendio. Es peligroso.']] }));
    expect(es).toMatchObject({ language: 'es', followUp: { needed: true, urgency: 'critical' } });
  });

  it('gives finite scores for visitor words that are Object.prototype names', async () => {
    const e = await extractor.extract(inputOf({ answers: [], lines: [['visitor', 'constructor'], ['visitor', '__proto__ hasOwnProperty toString'], ['visitor', 'constructor constructor']] }));
    expect(e.sentiment.messages.every((m) => Number.isFinite(m.score))).toBe(true);
    expect(Number.isFinite(e.sentiment.score)).toBe(true);
    expect(Extraction.parse(e)).toBeTruthy();
  });

  it('produces records that survive a JSON round trip through the shared schema', async () => {
    for (const fixture of [DETRACTOR, PROMOTER]) {
      const e = await extractor.extract(inputOf(fixture));
      expect(Extraction.parse(JSON.parse(JSON.stringify(e)))).toEqual(e);
    }
  });

  it('a late parcel without expectation language is a complaint, not a stated expectation', async () => {
    const e = await extractor.extract(inputOf({ answers: [], lines: [['visitor', 'My order still has not arrived after three weeks.']] }));
    expect(e.expectations).toEqual([]);
    expect(e.followUp).toMatchObject({ needed: true });
  });

  it('handles a conversation in which the visitor said nothing', async () => {
    const e = await extractor.extract({ ...inputOf(PROMOTER), answers: [], messages: [{ id: 1, author: 'bot', text: 'Hi!' }] });
    expect(e.sentiment).toEqual({ label: 'neutral', score: 0, messages: [] });
    expect(e.ratings).toEqual([]);
    expect(e.followUp.needed).toBe(false);
  });
});
