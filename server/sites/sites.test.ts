import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminSite, FlowDetail, SiteCreated } from '../../shared/admin-api.ts';
import { adminKit, AGENT, OWNER, type AdminKit, type Client } from '../http/admin/test-kit.ts';
import { fillPlaceholders } from './canned.ts';

let kit: AdminKit;
let owner: Client;
let agent: Client;

beforeAll(async () => {
  kit = await adminKit();
  owner = await kit.signedIn(OWNER);
  agent = await kit.signedIn(AGENT);
});
afterAll(() => kit.close());

type Err = { ok: false; error: { code: string; message: string; issues?: { path: string; line?: number }[] } };

describe('sites', () => {
  it('creates a site with a key, its snippet and an API token stored only as a hash', async () => {
    const r = await owner.req('POST', '/sites', { name: 'Shop Ünïcode', allowedOrigins: ['https://shop.example'] });
    expect(r.status, r.text).toBe(200);
    const { site, apiToken } = r.body as SiteCreated;
    expect(site.key).toMatch(/^[a-z0-9-]{2,}$/);
    expect(site.snippet).toBe(`<script async src="https://parley.test/widget.js" data-site="${site.key}"></script>`);
    expect(site.hasApiToken).toBe(true);
    expect(await kit.store.sites.apiTokenHash(site.id)).toBe(createHash('sha256').update(apiToken).digest('hex'));
    expect(JSON.stringify(site)).not.toContain(apiToken);
    // it starts with the example flows, its default among them, so the snippet works at once
    const flows = ((await owner.req('GET', `/sites/${site.id}/flows`)).body as { flows: { id: string }[] }).flows.map((f) => f.id);
    expect(flows).toContain(site.settings.defaultFlow);
    // a taken key is a conflict
    expect((await owner.req('POST', '/sites', { name: 'Again', key: site.key })).status).toBe(409);
  });

  it('rotating the token replaces the old one', async () => {
    const created = (await owner.req('POST', '/sites', { name: 'Rotate me' })).body as SiteCreated;
    const r = await owner.req('POST', `/sites/${created.site.id}/token`, {});
    const { apiToken } = r.body as { apiToken: string };
    expect(apiToken).not.toBe(created.apiToken);
    expect(await kit.store.sites.apiTokenHash(created.site.id)).toBe(createHash('sha256').update(apiToken).digest('hex'));
  });

  it('edits settings field by field, keeping the rest, and sets the greeting', async () => {
    const r = await owner.req('PATCH', `/sites/${kit.site.id}`, {
      allowedOrigins: ['https://acme.test', 'http://localhost:*'],
      settings: { color: '#ff0000', idleTimeoutMinutes: 45, topics: [{ name: 'Delivery' }] },
      greeting: 'Hello from Acme!',
    });
    expect(r.status, r.text).toBe(200);
    const again = await owner.req('PATCH', `/sites/${kit.site.id}`, { settings: { position: 'bottom-left' } });
    const site = (again.body as { site: AdminSite }).site;
    expect(site.allowedOrigins).toEqual(['https://acme.test', 'http://localhost:*']);
    expect(site.settings).toMatchObject({ color: '#ff0000', idleTimeoutMinutes: 45, position: 'bottom-left', topics: [{ name: 'Delivery' }] });
    expect(site.settings.strings.en?.greeting).toBe('Hello from Acme!');
  });

  it('rejects bad settings with the field named', async () => {
    const r = await owner.req('PATCH', `/sites/${kit.site.id}`, { allowedOrigins: ['shop.example/path'], settings: { color: 'red' } });
    expect(r.status).toBe(400);
    const paths = (r.body as Err).error.issues?.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['allowedOrigins.0', 'settings.color']));
    expect((await owner.req('PATCH', `/sites/${kit.site.id}`, { settings: { idleTimeoutMinutes: 0 } })).status).toBe(400);
    expect((await owner.req('PATCH', `/sites/${kit.site.id}`, { settings: { nosuch: 1 } })).status).toBe(400);
    const noFlow = await owner.req('PATCH', `/sites/${kit.site.id}`, { settings: { defaultFlow: 'missing' } });
    expect((noFlow.body as Err).error.issues?.[0]?.path).toBe('settings.defaultFlow');
  });

  it('agents can read sites but not change them', async () => {
    expect(((await agent.req('GET', '/sites')).body as { sites: unknown[] }).sites.length).toBeGreaterThan(0);
    expect((await agent.req('PATCH', `/sites/${kit.site.id}`, { name: 'Mine' })).status).toBe(403);
  });
});

const GOOD_FLOW = {
  id: 'csat',
  kind: 'survey',
  name: 'CSAT',
  questions: [{ id: 'q1', type: 'csat', prompt: 'How satisfied are you?' }],
  outro: 'Thanks!',
};

describe('flows', () => {
  it('saves a valid flow and lists it', async () => {
    const r = await owner.req('PUT', `/sites/${kit.site.id}/flows/csat`, { json: JSON.stringify(GOOD_FLOW, null, 2) });
    expect(r.status, r.text).toBe(200);
    expect((r.body as FlowDetail).flow).toMatchObject({ id: 'csat', kind: 'survey' });
    expect((await agent.req('GET', `/sites/${kit.site.id}/flows`)).body).toMatchObject({ flows: [{ id: 'csat', kind: 'survey', name: 'CSAT' }] });
    expect(((await agent.req('GET', `/sites/${kit.site.id}/flows/csat`)).body as FlowDetail).json).toContain('"How satisfied are you?"');
  });

  it('reports a schema error at the line it is on', async () => {
    const bad = { ...GOOD_FLOW, questions: [{ id: 'q1', type: 'csat', prompt: 'ok' }, { id: 'q2', type: 'single', prompt: 'Pick', choices: [] }] };
    const text = JSON.stringify(bad, null, 2);
    const r = await owner.req('PUT', `/sites/${kit.site.id}/flows/csat`, { json: text });
    expect(r.status).toBe(400);
    const issue = (r.body as Err).error.issues?.[0];
    expect(issue?.path).toBe('questions.1.choices');
    const expectedLine = text.split('\n').findIndex((l) => l.includes('"choices"')) + 1;
    expect(issue?.line).toBe(expectedLine);
    expect((r.body as Err).error.message).toMatch(new RegExp(`^line ${expectedLine}: questions.1.choices`));
  });

  it('reports a JSON syntax error at its line', async () => {
    const text = '{\n  "id": "csat",\n  "kind": "survey",\n  "name": "x"\n  "outro": "y"\n}';
    const r = await owner.req('PUT', `/sites/${kit.site.id}/flows/csat`, { json: text });
    expect(r.status).toBe(400);
    expect((r.body as Err).error.issues?.[0]?.line).toBe(5);
  });

  it('insists the flow id matches the URL and keeps the default flow', async () => {
    const r = await owner.req('PUT', `/sites/${kit.site.id}/flows/other`, { json: JSON.stringify(GOOD_FLOW) });
    expect((r.body as Err).error.issues?.[0]).toMatchObject({ path: 'id', line: 1 });
    expect((await owner.req('DELETE', `/sites/${kit.site.id}/flows/nps`)).status).toBe(409);
    expect((await owner.req('DELETE', `/sites/${kit.site.id}/flows/csat`)).status).toBe(200);
    expect((await owner.req('GET', `/sites/${kit.site.id}/flows/csat`)).status).toBe(404);
  });
});

describe('canned responses', () => {
  it('owners create and edit them; agents list them; shortcuts are unique per site', async () => {
    const c = await owner.req('POST', '/canned', { siteId: kit.site.id, shortcut: 'thanks', title: 'Thanks', text: 'Thanks {{visitor.name}}!' });
    expect(c.status, c.text).toBe(200);
    const id = (c.body as { canned: { id: number } }).canned.id;
    expect((await owner.req('POST', '/canned', { siteId: kit.site.id, shortcut: 'thanks', title: 'Dup', text: 'x' })).status).toBe(409);
    const edited = await owner.req('PATCH', `/canned/${id}`, { title: 'Thank you' });
    expect(edited.body).toMatchObject({ canned: { title: 'Thank you', siteId: kit.site.id, text: 'Thanks {{visitor.name}}!' } });
    expect((await agent.req('GET', `/canned?siteId=${kit.site.id}`)).body).toMatchObject({ canned: [{ id, shortcut: 'thanks' }] });
    expect((await agent.req('POST', '/canned', { shortcut: 'x', title: 'x', text: 'x' })).status).toBe(403);
    expect((await owner.req('DELETE', `/canned/${id}`)).status).toBe(200);
  });

  it('fills placeholders as plain text and leaves unknown ones', () => {
    expect(fillPlaceholders('Hi {{visitor.name}}, {{ agent.name }} at {{site.name}} {{x.y}}', { visitorName: '<b>Bo</b>', agentName: 'Ana', siteName: 'Acme' })).toBe(
      'Hi <b>Bo</b>, Ana at Acme {{x.y}}',
    );
    expect(fillPlaceholders('Hi {{visitor.name}}', { visitorName: null, agentName: 'Ana', siteName: 'Acme' })).toBe('Hi there');
  });
});
