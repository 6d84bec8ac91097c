import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminKit, AGENT, OWNER, type AdminKit } from './test-kit.ts';

let kit: AdminKit;
beforeEach(async () => {
  kit = await adminKit();
});
afterEach(async () => {
  await kit.close();
});

const issues = (body: unknown) => (body as { error: { issues?: { path: string; message: string }[] } }).error.issues ?? [];

describe('rules API', () => {
  it('validates a rule with the shared schema and names the bad fields', async () => {
    const owner = await kit.signedIn(OWNER);
    const r = await owner.req('POST', `/sites/${kit.site.id}/rules`, {
      name: '',
      conditions: [{ type: 'rating', ratingType: 'nps' }],
      actions: [{ type: 'assign', teamId: 'no-such-team' }, { type: 'open_follow_up', dueInHours: -2 }],
    });
    expect(r.status).toBe(400);
    expect(issues(r.body).map((i) => i.path)).toEqual(expect.arrayContaining(['name', 'conditions.0.min', 'actions.1.dueInHours']));

    // the shape is fine but a reference is not: named at its field too
    const ref = await owner.req('POST', `/sites/${kit.site.id}/rules`, { name: 'Route', conditions: [{ type: 'nps', categories: ['detractor'] }], actions: [{ type: 'assign', teamId: 'no-such-team' }] });
    expect(ref.status).toBe(400);
    expect(issues(ref.body)).toEqual([{ path: 'actions.0.teamId', message: 'no such team' }]);
  });

  it('owners create, reorder and delete rules; agents read them and may not change them', async () => {
    const owner = await kit.signedIn(OWNER);
    const agent = await kit.signedIn(AGENT);
    const make = async (name: string) => {
      const r = await owner.req('POST', `/sites/${kit.site.id}/rules`, { name, conditions: [{ type: 'keywords', words: ['refund'] }], actions: [{ type: 'add_tags', tags: ['refund'] }] });
      expect(r.status).toBe(200);
      return (r.body as { rule: { id: string } }).rule.id;
    };
    const a = await make('First');
    const b = await make('Second');
    const moved = await owner.req('POST', `/rules/${b}/move`, { direction: 'up' });
    expect((moved.body as { rules: { id: string }[] }).rules.map((x) => x.id)).toEqual([b, a]);

    const read = await agent.req('GET', `/sites/${kit.site.id}/rules`);
    expect((read.body as { rules: { name: string }[] }).rules.map((x) => x.name)).toEqual(['Second', 'First']);
    expect((await agent.req('POST', `/sites/${kit.site.id}/rules`, { name: 'x', conditions: [{ type: 'nps', categories: ['promoter'] }], actions: [{ type: 'add_tags', tags: ['x'] }] })).status).toBe(403);
    expect((await agent.req('DELETE', `/rules/${a}`)).status).toBe(403);
    expect((await agent.req('GET', `/sites/${kit.site.id}/webhooks`)).status).toBe(403);
    expect((await owner.req('DELETE', `/rules/${a}`)).status).toBe(200);
    expect((await owner.req('DELETE', `/rules/${a}`)).status).toBe(404);
  });

  it('teams: names and references are checked at their fields', async () => {
    const owner = await kit.signedIn(OWNER);
    const ok = await owner.req('POST', '/teams', { name: 'Support DE', memberIds: [kit.agent.id], siteIds: [kit.site.id] });
    expect(ok.status).toBe(200);
    const dup = await owner.req('POST', '/teams', { name: 'support de', memberIds: ['ghost'], siteIds: [] });
    expect(issues(dup.body)).toEqual([
      { path: 'memberIds.0', message: 'no such user' },
      { path: 'name', message: 'a team with this name exists' },
    ]);
  });
});
