import { describe, expect, it } from 'vitest';
import { evaluateExtraction, FIELDS, loadEvalSet } from './extraction-eval.ts';

describe('extraction eval set (bench/eval/conversations.json)', () => {
  it('has at least 70 conversations in en, de, fr and es with topics from examples/topics.json', () => {
    const { conversations, topics } = loadEvalSet();
    expect(conversations.length).toBeGreaterThanOrEqual(70);
    const langs = new Set(conversations.map((c) => c.lang));
    expect([...langs].sort()).toEqual(['de', 'en', 'es', 'fr']);
    const names = new Set(topics.map((t) => t.name));
    for (const c of conversations) for (const t of c.expect.topics) expect(names.has(t), `${c.id}: ${t}`).toBe(true);
    expect(new Set(conversations.map((c) => c.id)).size).toBe(conversations.length);
  });

  it('the offline extractor keeps every field at 0.85 or better', async () => {
    // the side-by-side with the extractor it replaced is in `npx tsx bench/extraction-eval.ts`
    const { current } = await evaluateExtraction({ baseline: false });
    for (const f of FIELDS) expect(current.accuracy[f], f).toBeGreaterThanOrEqual(0.85);
    expect(current.sentimentMacroF1).toBeGreaterThanOrEqual(0.85);
  });
});
