/**
 * Hole 8: identity verification is usable (owners see and rotate the site's identity secret,
 * audit-logged) and not forgeable on the demo (its secret is generated at seed time, never in examples/).
 */
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminKit, AGENT, OWNER, type AdminKit } from '../http/admin/test-kit.ts';
import { EXAMPLES_DIR } from '../seed.ts';
import { connectResult, startRealServer, visitorSocket, type HostileServer } from './kit.ts';

// whole conversations through the real server: slow on a busy 2-core machine, never timed
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const hmac = (secret: string, id: string) => createHmac('sha256', secret).update(id).digest('hex');

describe('the identity secret in the admin API', () => {
  let kit: AdminKit;
  beforeAll(async () => {
    kit = await adminKit();
  });
  afterAll(async () => {
    await kit.close();
  });

  it('an owner sees it and rotates it; both are audit-logged; an agent may not', async () => {
    const owner = await kit.signedIn(OWNER);
    const shown = await owner.req('GET', `/sites/${kit.site.id}/identity-secret`);
    expect(shown.status).toBe(200);
    const first = (shown.body as { identitySecret: string }).identitySecret;
    expect(first).toBe(await kit.store.sites.identitySecret(kit.site.id));
    const rotated = await owner.req('POST', `/sites/${kit.site.id}/identity-secret`);
    expect(rotated.status).toBe(200);
    const second = (rotated.body as { identitySecret: string }).identitySecret;
    expect(second).toMatch(/^[0-9a-f]{64}$/);
    expect(second).not.toBe(first);
    expect(await kit.store.sites.identitySecret(kit.site.id)).toBe(second);
    const actions = (await kit.store.admin.audit.list(10)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['site.identity_secret_view', 'site.identity_secret_rotate']));
    // the secret itself is never written to the audit log
    expect(JSON.stringify(await kit.store.admin.audit.list(10))).not.toContain(second);

    const agent = await kit.signedIn(AGENT);
    expect((await agent.req('GET', `/sites/${kit.site.id}/identity-secret`)).status).toBe(403);
    expect((await agent.req('POST', `/sites/${kit.site.id}/identity-secret`)).status).toBe(403);
    expect(await kit.store.sites.identitySecret(kit.site.id)).toBe(second);
  });
});

describe('the demo site', () => {
  let s: HostileServer;
  beforeAll(async () => {
    s = await startRealServer();
  });
  afterAll(async () => {
    await s.stop();
  });

  it('has a secret generated at seed time that appears nowhere in examples/', async () => {
    const secret = (await s.server.store.sites.identitySecret((await s.server.store.sites.getByKey('demo'))!.id))!;
    expect(await secret).toMatch(/^[0-9a-f]{64}$/);
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    for (const f of files(EXAMPLES_DIR)) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toContain(secret);
      expect(text, f).not.toMatch(/identitySecret|demo-identity-secret/);
    }
  });

  it('the demo page signs its demo user on the server, and a hash from the old public secret is refused', async () => {
    const secret = (await s.server.store.sites.identitySecret((await s.server.store.sites.getByKey('demo'))!.id))!;
    const html = await (await fetch(`${s.server.url}/demo`)).text();
    expect(html).toContain(`userHash: '${hmac(secret, 'demo-user-1')}'`);

    const v = visitorSocket(s.server.url);
    expect(await connectResult(v)).toBeNull();
    await v.emitWithAck('session:hello', {});
    const forged = (await v.emitWithAck('visitor:identify', { id: 'demo-user-1', userHash: hmac('demo-identity-secret', 'demo-user-1') })) as { ok: boolean; error?: { code: string } };
    expect(forged).toMatchObject({ ok: false, error: { code: 'invalid_user_hash' } });
    const real = (await v.emitWithAck('visitor:identify', { id: 'demo-user-1', userHash: hmac(secret, 'demo-user-1') })) as { ok: boolean; verified?: boolean };
    expect(real).toMatchObject({ ok: true, verified: true });
    v.close();
  });
});
