/**
 * Holes 2, 3 and 4: per-address limits behind a proxy cannot be bypassed with a made-up
 * X-Forwarded-For; conversation:start is rate limited; wrong passwords slow down one address and
 * one account pair, and never lock the owner out from elsewhere.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { adminKit, AGENT, OWNER as KIT_OWNER } from '../http/admin/test-kit.ts';
import { connectResult, OWNER, signIn, startRealServer, visitorSocket, type HostileServer } from './kit.ts';

// whole conversations through the real server: slow on a busy 2-core machine, never timed
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const running: HostileServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.close());
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

let n = 0;
/** what a client writes itself, in front of what the (one) proxy appends: the real address */
const spoofed = (real: string) => ({ 'x-forwarded-for': `198.18.${(n = (n + 7) % 250)}.${Math.floor(Math.random() * 250)}, ${real}` });

describe('PARLEY_TRUST_PROXY trusts hops, not the left-most X-Forwarded-For (hole 2)', () => {
  it('a random X-Forwarded-For does not bypass the per-address login limit', async () => {
    const s = await startRealServer({ PARLEY_TRUST_PROXY: '1' });
    running.push(s);
    // 30 failures per address (any e-mail) are allowed in the window; the 31st address-wide attempt waits
    for (let i = 0; i < 30; i++) {
      const r = await signIn(s.server.url, { email: `guess${i}@acme.test`, password: 'wrong-password' }, spoofed('203.0.113.5'));
      expect(r.status).toBe(401);
    }
    const blocked = await signIn(s.server.url, { email: 'guess-last@acme.test', password: 'wrong-password' }, spoofed('203.0.113.5'));
    expect(blocked.status).toBe(429);
    // a different real client (another address appended by the proxy) is not affected
    expect((await signIn(s.server.url, OWNER, { 'x-forwarded-for': '198.51.100.20' })).status).toBe(200);
  });

  it('a random X-Forwarded-For does not bypass the visitor connection limit', async () => {
    const s = await startRealServer({ PARLEY_TRUST_PROXY: '1' }, { limits: { connectionsPerIp: { capacity: 3, perSecond: 0.001 } } });
    running.push(s);
    const results: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const sock = visitorSocket(s.server.url, { headers: spoofed('203.0.113.6') });
      sockets.push(sock);
      results.push(await connectResult(sock));
    }
    expect(results).toEqual([null, null, null, 'rate_limited']);
    const other = visitorSocket(s.server.url, { headers: { 'x-forwarded-for': '198.51.100.21' } });
    sockets.push(other);
    expect(await connectResult(other)).toBeNull();
  });

  it('a list of proxy addresses: the loopback proxy is skipped, the address before it counts', async () => {
    const s = await startRealServer({ PARLEY_TRUST_PROXY: 'loopback' }, { limits: { connectionsPerIp: { capacity: 2, perSecond: 0.001 } } });
    running.push(s);
    const results: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const sock = visitorSocket(s.server.url, { headers: spoofed('203.0.113.7') });
      sockets.push(sock);
      results.push(await connectResult(sock));
    }
    expect(results).toEqual([null, null, 'rate_limited']);
  });
});

describe('conversation:start is rate limited (hole 3)', () => {
  it('one visitor restarting over and over is refused after its allowance; resuming stays free', async () => {
    const s = await startRealServer({}, { limits: { startsPerVisitor: { capacity: 3, perSecond: 0.001 } } });
    running.push(s);
    const sock = visitorSocket(s.server.url);
    sockets.push(sock);
    expect(await connectResult(sock)).toBeNull();
    expect((await sock.emitWithAck('session:hello', {})) as { ok: boolean }).toMatchObject({ ok: true });
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = (await sock.emitWithAck('conversation:start', { flowId: 'nps', restart: true })) as { ok: boolean; error?: { code: string; retryAfterMs?: number } };
      codes.push(r.ok ? 'ok' : (r.error?.code ?? '?'));
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);
    // resuming the open conversation is not a new one
    expect((await sock.emitWithAck('conversation:start', { flowId: 'nps', restart: false })) as { ok: boolean }).toMatchObject({ ok: true });
  });

  it('many visitors from one address share a per-address allowance', async () => {
    const s = await startRealServer({}, { limits: { startsPerIp: { capacity: 4, perSecond: 0.001 } } });
    running.push(s);
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const sock = visitorSocket(s.server.url);
      sockets.push(sock);
      expect(await connectResult(sock)).toBeNull();
      await sock.emitWithAck('session:hello', {});
      const r = (await sock.emitWithAck('conversation:start', { flowId: 'nps', restart: true })) as { ok: boolean; error?: { code: string } };
      codes.push(r.ok ? 'ok' : (r.error?.code ?? '?'));
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);
  });
});

describe('login: a back-off per (address, e-mail), no lock-out of the owner (hole 4)', () => {
  it('wrong passwords for the owner from other addresses never keep the owner out', async () => {
    const s = await startRealServer({ PARLEY_TRUST_PROXY: '1' });
    running.push(s);
    for (let i = 0; i < 12; i++) await signIn(s.server.url, { email: OWNER.email, password: `wrong-${i}-password` }, { 'x-forwarded-for': `203.0.113.${10 + (i % 3)}` });
    // the owner, from their own address, signs in at once
    expect((await signIn(s.server.url, OWNER, { 'x-forwarded-for': '198.51.100.30' })).status).toBe(200);
  });

  it('the same address guessing the same account waits longer after each failure, and a success clears it', async () => {
    let t = 1_000_000;
    const k = await adminKit({ loginLimits: { windowMs: 15 * 60_000, perIp: 1000, perEmail: 3, backoffMs: 1_000, maxBackoffMs: 8_000, now: () => t } });
    try {
      const wrong = { email: AGENT.email, password: 'wrong-password-x' };
      for (let i = 0; i < 3; i++) expect((await k.client().login(wrong)).status).toBe(401);
      const waits: number[] = [];
      for (let i = 0; i < 5; i++) {
        const refused = await k.client().login(AGENT);
        expect(refused.status).toBe(429);
        const wait = (refused.body as { error: { retryAfterMs: number } }).error.retryAfterMs;
        waits.push(wait);
        t += wait; // the back-off has passed: the next guess is read (and fails)
        expect((await k.client().login(wrong)).status).toBe(401);
      }
      // 1 s after the free failures, doubling per failure, capped: a slow-down, never a lock
      expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
      // other accounts from the same address are unaffected
      expect((await k.client().login(KIT_OWNER)).status).toBe(200);
      t += 8_000;
      expect((await k.client().login(AGENT)).status).toBe(200);
      // cleared: the next wrong password is a plain 401 again, not a wait
      expect((await k.client().login(wrong)).status).toBe(401);
      expect((await k.client().login(wrong)).status).toBe(401);
    } finally {
      await k.close();
    }
  });
});
