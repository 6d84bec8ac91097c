import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportFigures } from '../../shared/insights.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../llm/fake-openai.ts';
import { createOpenAILlm } from '../llm/openai.ts';
import { createLogger } from '../logger.ts';
import type { SendEmail } from '../respond/ports.ts';
import { reportHtml } from './report-html.ts';
import { unsupportedNumbers } from './report-writer.ts';
import { WEEKLY_REPORT_JOB } from './service.ts';
import { insightKit, type InsightKit } from './test-kit.ts';

const NOW = Date.parse('2026-05-20T12:00:00Z');
const log = createLogger('silent');
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});

async function fill(kit: InsightKit) {
  const t = Date.parse('2026-05-08T09:00:00Z');
  const lines = [
    { v: 2, s: -0.7, topic: 'Delivery', text: 'My parcel is 9 days late and the tracking page still says "label created". Not ok.' },
    { v: 3, s: -0.5, topic: 'Delivery', text: 'Lieferung hat zwei Wochen gedauert, das ist zu lang.' },
    { v: 10, s: 0.8, topic: 'Product quality', text: 'Lovely jumper, the wool feels great and it fits true to size.' },
    { v: 9, s: 0.6, topic: 'Customer service', text: 'Support sorted out my exchange in 10 minutes, merci!' },
    { v: 9, s: 0.1, topic: 'Pricing', text: 'Decent, but shipping at 6,90 € is a bit steep for a small order.' },
  ];
  for (const [i, l] of lines.entries()) {
    await kit.add({
      startedAt: t + i * 86_400_000,
      ratings: [{ type: 'nps', value: l.v }],
      sentiment: l.s,
      topics: [l.topic],
      visitor: [l.text],
      expectations: l.v < 5 ? [{ kind: 'delivery', text: 'expected the parcel within 3 working days', status: 'unmet' }] : [],
      followUp: l.v < 5 ? { urgency: 'high', reason: 'late delivery' } : null,
    });
  }
}

const userFigures = (body: unknown): ReportFigures => {
  const messages = (body as { messages: { role: string; content: string }[] }).messages;
  return JSON.parse(messages.find((m) => m.role === 'user')!.content) as ReportFigures;
};

describe('insight report', () => {
  const llm = () => createOpenAILlm({ baseURL: fake.baseURL, apiKey: 'test', model: 'test-model', timeoutMs: 5_000, maxRetries: 0, retryBaseMs: 5, log });

  it('uses the LLM text when every number in it comes from the figures; the figures travel as JSON in a user message', async () => {
    const kit = await insightKit({ now: NOW, llm: llm() });
    await fill(kit);
    fake.setResponder((req) => {
      const f = userFigures(req.body);
      return {
        kind: 'text',
        text: `# Insight report\n\n## Key figures\n\nNPS stands at ${f.current.nps.score} from ${f.current.nps.n} answers.\n\n## Top issues\n\n- Delivery: ${f.topics[0]?.conversations} conversations.\n\n## Recommendations\n\n1. Tell customers honest delivery dates.\n2. Answer the waiting follow-ups.`,
      };
    });
    const r = await kit.insights.generateReport({ siteId: kit.siteId, from: '2026-05-07', to: '2026-05-20' });
    expect(r.writer).toBe('llm');
    expect(r.fallbackReason).toBeNull();
    expect(r.markdown).toContain('NPS stands at 20 from 5 answers');
    const body = fake.requests.at(-1)!.body as { messages: { role: string; content: string }[] };
    const system = body.messages.find((m) => m.role === 'system')!.content;
    // customer text is data in the user message, never in the system prompt
    expect(system).not.toContain('tracking page');
    expect(userFigures(body).topics.some((t) => t.quotes.some((q) => q.includes('tracking page')))).toBe(true);
  });

  it('rejects an LLM text that cites a number not in the figures and uses the offline report, saying so', async () => {
    const kit = await insightKit({ now: NOW, llm: llm() });
    await fill(kit);
    fake.setResponder((req) => {
      const f = userFigures(req.body);
      return { kind: 'text', text: `# Insight report\n\nNPS is ${f.current.nps.score}, up 87.5 points, with 5 answers. Delivery complaints doubled.` };
    });
    const r = await kit.insights.generateReport({ siteId: kit.siteId, from: '2026-05-07', to: '2026-05-20' });
    expect(r.writer).toBe('offline');
    expect(r.fallbackReason).toMatch(/87\.5/);
    expect(r.markdown).not.toContain('87.5');
    expect(r.markdown).toContain('## Recommendations');
    // the stored report is the one shown
    expect((await kit.insights.report(r.id))?.markdown).toBe(r.markdown);
  });

  it('falls back to the offline report when the LLM fails', async () => {
    const kit = await insightKit({ now: NOW, llm: llm() });
    await fill(kit);
    fake.setResponder(() => ({ kind: 'status', status: 500 }));
    const r = await kit.insights.generateReport({ siteId: kit.siteId, from: '2026-05-07', to: '2026-05-20' });
    expect(r.writer).toBe('offline');
    expect(r.fallbackReason).toMatch(/could not be reached/);
  });

  it('offline: key figures, what changed, issues with quotes, unmet expectations and recommendations, every number from the figures', async () => {
    const kit = await insightKit({ now: NOW });
    await fill(kit);
    const r = await kit.insights.generateReport({ siteId: kit.siteId, from: '2026-05-07', to: '2026-05-20' });
    expect(r.writer).toBe('offline');
    expect(r.fallbackReason).toBeNull();
    for (const h of ['## Key figures', '## What changed', '## Top issues', '## Unmet expectations', '## Follow-ups', '## Recommendations']) expect(r.markdown).toContain(h);
    expect(r.markdown).toContain('| NPS (answers) | 20.0 (5) |');
    expect(r.markdown).toContain('tracking page still says');
    expect(r.markdown).toContain('expected the parcel within 3 working days');
    expect(r.markdown).toMatch(/Reach out to the 2 detractors/);
    expect(unsupportedNumbers(r.markdown, r.figures)).toEqual([]);
  });

  it('finds numbers that are not figures, allowing for rounding', async () => {
    const figures = { nps: 31.7, share: 41.67, n: 12 };
    expect(unsupportedNumbers('NPS 32 on 12 answers, 41.7% share', figures)).toEqual([]);
    expect(unsupportedNumbers('NPS 31.7, 42%', figures)).toEqual([]);
    expect(unsupportedNumbers('NPS 33 on 12 answers', figures)).toEqual(['33']);
    expect(unsupportedNumbers('1. First\n2. Second', figures)).toEqual([]);
  });

  it('printable page escapes customer text', async () => {
    const kit = await insightKit({ now: NOW });
    await kit.add({ startedAt: Date.parse('2026-05-10T10:00:00Z'), sentiment: -0.8, topics: ['Website & checkout'], visitor: ['<script>alert(1)</script> checkout crashed on me twice'] });
    const r = await kit.insights.generateReport({ siteId: kit.siteId, from: '2026-05-07', to: '2026-05-20' });
    const html = reportHtml(r);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain('<h2>Key figures</h2>');
  });

  it('a weekly schedule e-mails the report through the response port and re-enqueues itself a week later', async () => {
    const sent: SendEmail[] = [];
    const ports = {
      sendEmail: async (m: SendEmail) => {
        sent.push(m);
      },
      sendReply: async () => undefined,
    };
    const kit = await insightKit({ now: NOW, ports });
    await fill(kit);
    const s = await kit.insights.setSchedule(kit.siteId, 'owner@acme.test', false);
    expect(s.nextRunAt).toBe(Date.parse('2026-05-21T07:00:00Z'));
    const jobs = await kit.store.jobs.claim([WEEKLY_REPORT_JOB], 10, 60_000, s.nextRunAt!);
    expect(jobs).toHaveLength(1);
    await kit.insights.handlers[WEEKLY_REPORT_JOB]!(jobs[0]!.payload, jobs[0]!);
    await kit.store.jobs.complete(jobs[0]!);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: 'owner@acme.test', idempotencyKey: `insights-report:${kit.siteId}:2026-05-19` });
    expect(sent[0]!.text).toContain('## Key figures');
    const next = await kit.store.jobs.claim([WEEKLY_REPORT_JOB], 10, 60_000, Date.parse('2026-05-28T07:00:00Z'));
    expect(next).toHaveLength(1);
    // changing the schedule makes older queued runs do nothing
    await kit.insights.setSchedule(kit.siteId, null, false);
    await kit.insights.handlers[WEEKLY_REPORT_JOB]!(next[0]!.payload, next[0]!);
    expect(sent).toHaveLength(1);
  });
});
