import { describe, expect, it } from 'vitest';
import { EXAMPLES_DIR, loadExampleFlows } from '../seed.ts';
import { seedDemoHistory } from './demo-history.ts';
import { insightKit } from './test-kit.ts';

const NOW = Date.parse('2026-06-30T15:00:00Z');

async function seeded() {
  const kit = await insightKit({ timeZone: 'Europe/Berlin', now: NOW });
  for (const flow of loadExampleFlows()) await kit.store.flows.upsert(kit.siteId, flow);
  const n = await seedDemoHistory(kit.store, kit.insights, kit.siteId, EXAMPLES_DIR, NOW);
  return { kit, n };
}

describe('demo history', () => {
  it('gives a living dashboard: weeks of varied scores, sources, flows, languages and follow-ups', async () => {
    const { kit, n } = await seeded();
    expect(n).toBeGreaterThan(300);
    const d = await kit.insights.dashboard({ siteId: kit.siteId, from: '2026-05-05', to: '2026-06-30', granularity: 'week' });
    expect(d.totals.responses).toBe(n);
    expect(d.totals.nps.promoters).toBeGreaterThan(10);
    expect(d.totals.nps.detractors).toBeGreaterThan(10);
    expect(d.totals.csat.n).toBeGreaterThan(20);
    expect(d.totals.ces.n).toBeGreaterThan(10);
    expect(d.bySource.map((s) => s.key).sort()).toEqual(['api', 'feed', 'import', 'widget']);
    expect(d.byFlow.map((s) => s.key)).toEqual(expect.arrayContaining(['nps', 'support', 'product-feedback']));
    expect(d.surveys.length).toBeGreaterThanOrEqual(2);
    expect(d.topics.length).toBeGreaterThan(6);
    expect(d.expectations.length).toBeGreaterThan(2);
    expect(d.followUps.opened).toBeGreaterThan(d.followUps.resolved);
    expect(d.followUps.medianResolutionMs).not.toBeNull();
    for (const lang of ['en', 'de', 'fr', 'es'] as const) {
      expect((await kit.insights.dashboard({ siteId: kit.siteId, from: '2026-05-05', to: '2026-06-30', lang, granularity: 'month' })).totals.responses).toBeGreaterThan(10);
    }
    // the last week's new problem shows up as an emerging topic
    const e = await kit.insights.emerging({ siteId: kit.siteId, to: '2026-06-30', windowDays: 7, baselineDays: 28 });
    expect(e.terms.map((t) => t.name)).toContain('charged twice');
  });

  it('is deterministic', async () => {
    const a = await seeded();
    const b = await seeded();
    const rows = (k: typeof a.kit) => k.db.prepare('SELECT day, source, flow_id, nps, csat, ces, sentiment, lang FROM insight_facts ORDER BY started_at').all();
    expect(a.n).toBe(b.n);
    expect(rows(a.kit)).toEqual(rows(b.kit));
  });
});
