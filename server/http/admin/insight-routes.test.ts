import { afterEach, describe, expect, it } from 'vitest';
import { addPastConversation } from '../../insights/history.ts';
import { AGENT, adminKit, OWNER, type AdminKit } from './test-kit.ts';

let kit: AdminKit;
afterEach(async () => {
  await kit?.close();
});

async function withData() {
  kit = await adminKit();
  const t = Date.now() - 2 * 86_400_000;
  for (let i = 0; i < 6; i++) {
    await addPastConversation(kit.store, kit.svc.insights, kit.site.id, {
      flowId: 'nps',
      startedAt: t + i * 60_000,
      visitor: [i % 2 ? 'Delivery took <b>two weeks</b>, really disappointing.' : 'Lovely jumper, great quality and quick shipping.'],
      ratings: [{ type: 'nps', value: i % 2 ? 3 : 10 }],
      sentiment: i % 2 ? -0.7 : 0.8,
      topics: [i % 2 ? 'Delivery' : 'Product quality'],
    });
  }
}

describe('insight routes', () => {
  it('answers the dashboard for a signed-in agent and validates the filters', async () => {
    await withData();
    const agent = await kit.signedIn(AGENT);
    const ok = await agent.req('GET', `/insights/dashboard?siteId=${kit.site.id}&granularity=week`);
    expect(ok.status).toBe(200);
    const d = (ok.body as { dashboard: { totals: { responses: number; nps: { score: number } } } }).dashboard;
    expect(d.totals.responses).toBe(6);
    expect(d.totals.nps.score).toBe(0);
    const bad = await agent.req('GET', '/insights/dashboard?from=last-week');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect((await kit.client().req('GET', '/insights/dashboard')).status).toBe(401);
  });

  it('writes a report, serves it as Markdown and as an escaped printable page', async () => {
    await withData();
    const owner = await kit.signedIn(OWNER);
    const made = await owner.req('POST', '/insights/reports', { siteId: kit.site.id });
    expect(made.status).toBe(200);
    const report = (made.body as { report: { id: string; writer: string; markdown: string } }).report;
    expect(report.writer).toBe('offline');
    const md = await owner.req('GET', `/insights/reports/${report.id}/markdown`);
    expect(md.headers.get('content-type')).toMatch(/text\/markdown/);
    expect(md.headers.get('content-disposition')).toMatch(/attachment; filename="parley-insights-/);
    expect(md.text).toBe(report.markdown);
    const page = await owner.req('GET', `/insights/reports/${report.id}/print`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.text).toContain('<h2>Key figures</h2>');
    expect(page.text).not.toContain('<b>two weeks</b>');
  });

  it('lets only an owner schedule reports, and refuses e-mail when no delivery is configured', async () => {
    await withData();
    const agent = await kit.signedIn(AGENT);
    expect((await agent.req('PUT', '/insights/schedule', { siteId: kit.site.id, email: 'a@acme.test' })).status).toBe(403);
    const owner = await kit.signedIn(OWNER);
    const refused = await owner.req('PUT', '/insights/schedule', { siteId: kit.site.id, email: 'a@acme.test' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { message: 'E-mail delivery is not configured on this server.' } });
    const status = await owner.req('GET', `/insights/schedule/${kit.site.id}`);
    expect(status.body).toMatchObject({ ok: true, emailAvailable: false, schedule: { email: null } });
  });
});

describe('site time zone', () => {
  it('accepts an IANA name and refuses anything else', async () => {
    kit = await adminKit();
    const owner = await kit.signedIn(OWNER);
    const bad = await owner.req('PATCH', `/sites/${kit.site.id}`, { settings: { timeZone: 'Mars/Olympus' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_payload', message: expect.stringContaining('IANA time zone') } });
    const ok = await owner.req('PATCH', `/sites/${kit.site.id}`, { settings: { timeZone: 'Europe/Berlin' } });
    expect(ok.status).toBe(200);
    expect((await kit.store.sites.getById(kit.site.id))?.settings.timeZone).toBe('Europe/Berlin');
  });
});
