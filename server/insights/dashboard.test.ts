import { describe, expect, it } from 'vitest';
import { insightKit } from './test-kit.ts';

const at = (iso: string) => Date.parse(iso);

describe('dashboard aggregation on fixed fixtures', () => {
  it('NPS is % promoters minus % detractors, with the answer counts beside it', async () => {
    const kit = await insightKit({ now: at('2026-05-20T12:00:00Z') });
    const scores = [9, 10, 9, 10, 9, 7, 8, 0, 6, 3];
    for (const [i, value] of scores.entries()) await kit.add({ startedAt: at('2026-05-10T10:00:00Z') + i * 60_000, ratings: [{ type: 'nps', value }] });
    // one conversation without an NPS answer counts as a response, not as an NPS answer
    await kit.add({ startedAt: at('2026-05-11T10:00:00Z'), ratings: [{ type: 'csat', value: 4 }] });
    const d = await kit.insights.dashboard({ siteId: kit.siteId, from: '2026-05-01', to: '2026-05-20', granularity: 'day' });
    expect(d.totals.responses).toBe(11);
    expect(d.totals.nps).toEqual({ score: 20, n: 10, promoters: 5, passives: 2, detractors: 3 });
    expect(d.totals.csat).toMatchObject({ score: 100, n: 1, satisfied: 1 });
    const may10 = d.series.find((p) => p.bucket === '2026-05-10');
    expect(may10?.nps.score).toBe(20);
    expect(may10?.responses).toBe(10);
    expect(d.series.find((p) => p.bucket === '2026-05-12')?.nps.score).toBeNull();
  });

  it('counts days in the site time zone across the daylight-saving change (Europe/Berlin, end of March)', async () => {
    const kit = await insightKit({ timeZone: 'Europe/Berlin', now: at('2026-04-02T12:00:00Z') });
    // Sat 28 Mar 23:30 UTC = Sun 29 Mar 00:30 CET
    await kit.add({ startedAt: at('2026-03-28T23:30:00Z'), ratings: [{ type: 'nps', value: 10 }] });
    // Sun 29 Mar 21:30 UTC = 23:30 CEST, still the 29th
    await kit.add({ startedAt: at('2026-03-29T21:30:00Z'), ratings: [{ type: 'nps', value: 0 }] });
    // Sun 29 Mar 22:30 UTC = Mon 30 Mar 00:30 CEST
    await kit.add({ startedAt: at('2026-03-29T22:30:00Z'), ratings: [{ type: 'nps', value: 9 }] });
    // Sat 28 Mar 22:59 UTC = 23:59 CET on the 28th
    await kit.add({ startedAt: at('2026-03-28T22:59:00Z'), ratings: [{ type: 'nps', value: 5 }] });
    const d = await kit.insights.dashboard({ siteId: kit.siteId, from: '2026-03-27', to: '2026-03-31', granularity: 'day' });
    expect(d.timeZone).toBe('Europe/Berlin');
    expect(d.series.map((p) => [p.bucket, p.responses, p.nps.score])).toEqual([
      ['2026-03-27', 0, null],
      ['2026-03-28', 1, -100],
      ['2026-03-29', 2, 0],
      ['2026-03-30', 1, 100],
      ['2026-03-31', 0, null],
    ]);
    // weeks start on Monday: the 28th and 29th belong to the week of the 23rd
    const w = await kit.insights.dashboard({ siteId: kit.siteId, from: '2026-03-23', to: '2026-04-05', granularity: 'week' });
    expect(w.series.map((p) => [p.bucket, p.responses])).toEqual([
      ['2026-03-23', 3],
      ['2026-03-30', 1],
    ]);
  });

  it('re-dates facts when the site moves to another time zone', async () => {
    const kit = await insightKit({ now: at('2026-04-02T12:00:00Z') });
    await kit.add({ startedAt: at('2026-03-28T23:30:00Z') });
    expect((await kit.insights.dashboard({ siteId: kit.siteId, from: '2026-03-28', to: '2026-03-29', granularity: 'day' })).series.map((p) => p.responses)).toEqual([1, 0]);
    await kit.store.sites.update(kit.siteId, { settings: { timeZone: 'Europe/Berlin' } });
    expect((await kit.insights.dashboard({ siteId: kit.siteId, from: '2026-03-28', to: '2026-03-29', granularity: 'day' })).series.map((p) => p.responses)).toEqual([0, 1]);
  });

  it('re-analysis replaces a conversation instead of counting it twice', async () => {
    const kit = await insightKit({ now: at('2026-05-20T12:00:00Z') });
    const id = await kit.add({ startedAt: at('2026-05-10T10:00:00Z'), ratings: [{ type: 'nps', value: 2 }], topics: ['Delivery'] });
    const x = (await kit.store.extractions.get(id))!;
    const again = await kit.store.extractions.save({ ...x, ratings: [{ ...x.ratings[0]!, value: 10 }], topics: [{ name: 'Pricing', score: 1 }] });
    await kit.insights.recordExtraction(again);
    const d = await kit.insights.dashboard({ siteId: kit.siteId, from: '2026-05-01', to: '2026-05-20', granularity: 'day' });
    expect(d.totals.nps).toMatchObject({ n: 1, promoters: 1, detractors: 0 });
    expect(d.topics.map((t) => t.name)).toEqual(['Pricing']);
  });

  it('filters by source, language and tag; volume by source and flow', async () => {
    const kit = await insightKit({ now: at('2026-05-20T12:00:00Z') });
    const t = at('2026-05-10T10:00:00Z');
    await kit.add({ startedAt: t, source: 'widget', visitor: ['The parcel arrived two days late and nobody told me why.'], tags: ['vip'] });
    await kit.add({ startedAt: t + 1, source: 'api', flowId: 'support', visitor: ['Das Paket kam leider viel zu spät an, sehr ärgerlich.'] });
    await kit.add({ startedAt: t + 2, source: 'api', flowId: 'support', visitor: ['Le colis est arrivé en retard et abîmé, je suis déçu.'] });
    const base = { siteId: kit.siteId, from: '2026-05-01', to: '2026-05-20', granularity: 'day' as const };
    const all = await kit.insights.dashboard(base);
    expect(all.bySource).toEqual([
      { key: 'api', n: 2 },
      { key: 'widget', n: 1 },
    ]);
    expect(all.byFlow).toEqual([
      { key: 'support', n: 2 },
      { key: 'nps', n: 1 },
    ]);
    expect((await kit.insights.dashboard({ ...base, source: 'api' })).totals.responses).toBe(2);
    expect((await kit.insights.dashboard({ ...base, lang: 'de' })).totals.responses).toBe(1);
    expect((await kit.insights.dashboard({ ...base, tag: 'VIP' })).totals.responses).toBe(1);
    expect((await kit.insights.dashboard({ ...base, flowId: 'support', lang: 'fr' })).totals.responses).toBe(1);
  });

  it('topics with share and change, unmet expectations with quotes, follow-ups with the median time to resolve', async () => {
    const now = at('2026-05-20T12:00:00Z');
    const kit = await insightKit({ now });
    // previous period (Apr 23 - May 6): 1 of 4 about delivery; this period (May 7 - 20): 3 of 4
    for (let i = 0; i < 4; i++) await kit.add({ startedAt: at('2026-04-28T10:00:00Z') + i, topics: i === 0 ? ['Delivery'] : ['Pricing'], sentiment: 0.5 });
    for (let i = 0; i < 4; i++) {
      await kit.add({
        startedAt: at('2026-05-12T10:00:00Z') + i * 1000,
        topics: i < 3 ? ['Delivery'] : ['Pricing'],
        sentiment: i < 3 ? -0.6 : 0.2,
        expectations: i < 2 ? [{ kind: 'delivery', text: `I was promised delivery by Friday, order ${i + 1}`, status: 'unmet' }] : [{ kind: 'delivery', text: 'arrived on time', status: 'met' }],
        followUp: i < 3 ? { urgency: i === 0 ? 'critical' : 'low', reason: 'late parcel' } : null,
        resolvedAfterMs: i === 1 ? 2 * 3_600_000 : i === 2 ? 6 * 3_600_000 : null,
      });
    }
    const d = await kit.insights.dashboard({ siteId: kit.siteId, from: '2026-05-07', to: '2026-05-20', granularity: 'week' });
    const delivery = d.topics.find((t) => t.name === 'Delivery')!;
    expect(delivery).toMatchObject({ n: 3, share: 0.75, previousN: 1, previousShare: 0.25, changePoints: 50, sentiment: -0.6 });
    expect(d.expectations).toHaveLength(1);
    expect(d.expectations[0]).toMatchObject({ kind: 'delivery', total: 4, unmet: 2, unmetShare: 0.5 });
    expect(d.expectations[0]!.quotes.map((q) => q.text).sort()).toEqual(['I was promised delivery by Friday, order 1', 'I was promised delivery by Friday, order 2']);
    // 3 wanted; 2 resolved (2 h and 6 h: median 4 h); the critical one has been open 8 days: overdue
    expect(d.followUps).toEqual({ opened: 3, resolved: 2, overdue: 1, medianResolutionMs: 4 * 3_600_000 });
  });

  it('survey completion and drop-off per question from the answers', async () => {
    const kit = await insightKit({ now: at('2026-05-20T12:00:00Z') });
    await kit.store.flows.upsert(kit.siteId, {
      id: 'nps',
      kind: 'survey',
      name: 'NPS',
      intro: 'Hi',
      outro: 'Thanks',
      questions: [
        { id: 'score', type: 'nps', prompt: 'How likely…?' },
        { id: 'why', type: 'text', prompt: 'Why?' },
        { id: 'csat', type: 'csat', prompt: 'Delivery?' },
      ],
    });
    const t = at('2026-05-10T10:00:00Z');
    const score = { questionId: 'score', type: 'nps', value: 8, raw: '8' };
    const why = { questionId: 'why', type: 'text', value: 'fast shipping', raw: 'fast shipping' };
    const csat = { questionId: 'csat', type: 'csat', value: 5, raw: '5' };
    await kit.add({ startedAt: t, answers: [score, why, csat] });
    await kit.add({ startedAt: t + 1, answers: [score, why, csat] });
    await kit.add({ startedAt: t + 2, answers: [score, why], completed: false });
    await kit.add({ startedAt: t + 3, answers: [score], completed: false });
    await kit.add({ startedAt: t + 4, answers: [], completed: false });
    const d = await kit.insights.dashboard({ siteId: kit.siteId, from: '2026-05-01', to: '2026-05-20', granularity: 'day' });
    expect(d.surveys).toHaveLength(1);
    const s = d.surveys[0]!;
    expect([s.started, s.completed]).toEqual([5, 2]);
    expect(s.questions.map((q) => [q.id, q.answered, q.droppedHere])).toEqual([
      ['score', 4, 1],
      ['why', 3, 1],
      ['csat', 2, 1],
    ]);
  });

  it('builds facts for extractions that have none (data from before insights)', async () => {
    const kit = await insightKit({ now: at('2026-05-20T12:00:00Z') });
    await kit.add({ startedAt: at('2026-05-10T10:00:00Z'), ratings: [{ type: 'nps', value: 10 }] });
    await kit.add({ startedAt: at('2026-05-11T10:00:00Z'), ratings: [{ type: 'nps', value: 0 }] });
    kit.db.prepare('DELETE FROM insight_facts').run();
    const query = { siteId: kit.siteId, from: '2026-05-01', to: '2026-05-20', granularity: 'day' as const };
    expect((await kit.insights.dashboard(query)).totals.responses).toBe(0);
    expect(await kit.insights.backfill()).toBe(2);
    expect(await kit.insights.backfill()).toBe(0);
    expect((await kit.insights.dashboard(query)).totals.nps).toMatchObject({ n: 2, score: 0 });
  });
});

describe('daily rollups', () => {
  const sums = (kit: Awaited<ReturnType<typeof insightKit>>) => ({
    daily: kit.db
      .prepare('SELECT day, flow_id, source, n, nps_n, promoters, detractors, csat_n, csat_sat, ces_n, sent_n, positive, negative, follow_up, unmet_any, completed FROM insight_daily ORDER BY 1, 2, 3')
      .all(),
    facts: kit.db
      .prepare(
        `SELECT day, flow_id, source, count(*) AS n, count(nps) AS nps_n, coalesce(sum(nps >= 9), 0) AS promoters, coalesce(sum(nps <= 6), 0) AS detractors,
           count(csat) AS csat_n, coalesce(sum(csat >= 4), 0) AS csat_sat, count(ces) AS ces_n, count(sentiment) AS sent_n,
           sum(sentiment_label IS 'positive') AS positive, sum(sentiment_label IS 'negative') AS negative, sum(follow_up) AS follow_up,
           sum(unmet_any) AS unmet_any, sum(completed) AS completed
         FROM insight_facts GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      )
      .all(),
    terms: kit.db.prepare('SELECT day, kind, name, n FROM insight_daily_terms ORDER BY 1, 2, 3').all(),
    termFacts: kit.db.prepare('SELECT day, kind, name, count(*) AS n FROM insight_terms GROUP BY 1, 2, 3 ORDER BY 1, 2, 3').all(),
    expectations: kit.db.prepare('SELECT day, flow_id, source, kind, total, unmet, met FROM insight_daily_expectations ORDER BY 1, 2, 3, 4').all(),
    expectationFacts: kit.db
      .prepare(
        `SELECT day, flow_id, source, kind, count(*) AS total, sum(status = 'unmet') AS unmet, sum(status = 'met') AS met
         FROM insight_expectations GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      )
      .all(),
  });

  it('stay equal to the facts through re-analysis, a time-zone change and deleted conversations', async () => {
    const kit = await insightKit({ now: at('2026-05-20T12:00:00Z') });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push(
        await kit.add({
          startedAt: at('2026-05-10T21:30:00Z') + i * 3_600_000,
          source: i % 3 ? 'widget' : 'api',
          flowId: i % 4 ? 'nps' : null,
          ratings: [{ type: 'nps', value: i % 11 }, ...(i % 2 ? [{ type: 'csat' as const, value: 1 + (i % 5) }] : [])],
          sentiment: ((i % 7) - 3) / 3,
          topics: [i % 2 ? 'Delivery' : 'Pricing'],
          keyPhrases: i % 3 ? ['late parcel'] : [],
          expectations: i % 4 ? [{ kind: 'delivery', text: 'on time', status: i % 8 ? 'unmet' : 'met' }] : [],
          followUp: i % 5 ? null : { urgency: 'high', reason: 'asked' },
        }),
      );
    }
    let s = sums(kit);
    expect(s.daily).toEqual(s.facts);
    expect(s.terms).toEqual(s.termFacts);
    expect(s.expectations).toEqual(s.expectationFacts);
    // re-analysis of a few
    for (const id of ids.slice(0, 5)) {
      const x = (await kit.store.extractions.get(id))!;
      await kit.insights.recordExtraction(await kit.store.extractions.save({ ...x, ratings: [], topics: [{ name: 'Returns & refunds', score: 1 }], sentiment: { ...x.sentiment, label: 'positive', score: 0.9 } }));
    }
    // a new time zone moves the evening conversations to the next day
    await kit.store.sites.update(kit.siteId, { settings: { timeZone: 'Asia/Tokyo' } });
    await kit.insights.dashboard({ siteId: kit.siteId, from: '2026-05-01', to: '2026-05-20', granularity: 'day' });
    // deleting conversations (forget, retention) cascades to the facts and the rollups
    kit.db.prepare('DELETE FROM conversations WHERE id IN (?, ?, ?)').run(ids[7], ids[8], ids[20]);
    s = sums(kit);
    expect((s.facts as { n: number }[]).reduce((a, r) => a + r.n, 0)).toBe(27);
    expect(s.daily).toEqual(s.facts);
    expect(s.terms).toEqual(s.termFacts);
    expect(s.expectations).toEqual(s.expectationFacts);
    expect(s.expectations.length).toBeGreaterThan(0);
    // the filtered path (facts) and the rollup path agree
    const base = { siteId: kit.siteId, from: '2026-05-01', to: '2026-05-20', granularity: 'day' as const };
    const viaRollup = await kit.insights.dashboard(base);
    const langs = ['en', 'de', 'fr', 'es'] as const;
    let viaFacts = 0;
    for (const lang of langs) viaFacts += (await kit.insights.dashboard({ ...base, lang })).totals.responses;
    const noLang = kit.db.prepare('SELECT count(*) AS n FROM insight_facts WHERE lang IS NULL OR lang NOT IN (\'en\', \'de\', \'fr\', \'es\')').get() as { n: number };
    expect(viaRollup.totals.responses).toBe(viaFacts + noLang.n);
  });
});
