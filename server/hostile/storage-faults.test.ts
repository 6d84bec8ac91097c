/**
 * Faults: the database's disk full (SQLITE_FULL, via max_page_count) or read-only
 * (SQLITE_READONLY, via query_only) — real SQLite errors on the server's own connection, at the
 * group-commit boundary. The visitor hears a clear, retryable error; no acknowledged message is
 * lost; when the fault clears, the same messages go through once and the analysis still lands.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { captureLog } from './log-sink.ts';
import { connectResult, OWNER, startRealServer, visitorSocket, type HostileServer } from './kit.ts';
import { until } from './wait.ts';

// whole conversations through the real server: slow on a busy 2-core machine, never timed
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

type Ack = { ok: boolean; error?: { code: string; message: string; retryAfterMs?: number }; message?: { seq: number }; duplicate?: boolean; conversation?: { id: string } };

const running: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

const FAULTS = {
  'disk full (SQLITE_FULL)': {
    inject: (s: HostileServer) => s.server.db.pragma(`max_page_count = ${Number(s.server.db.pragma('page_count', { simple: true }))}`),
    clear: (s: HostileServer) => s.server.db.pragma('max_page_count = 1073741823'),
    // small writes may still fit in the last pages' free space
    everyWriteFails: false,
  },
  'read-only database (SQLITE_READONLY)': {
    inject: (s: HostileServer) => s.server.db.pragma('query_only = ON'),
    clear: (s: HostileServer) => s.server.db.pragma('query_only = OFF'),
    everyWriteFails: true,
  },
};

async function visitor(s: HostileServer): Promise<{ sock: Socket; cid: string }> {
  const sock = visitorSocket(s.server.url);
  expect(await connectResult(sock)).toBeNull();
  expect((await sock.emitWithAck('session:hello', { locale: 'en' })) as Ack).toMatchObject({ ok: true });
  const started = (await sock.emitWithAck('conversation:start', { flowId: 'support', restart: true })) as Ack;
  expect(started.ok).toBe(true);
  return { sock, cid: started.conversation!.id };
}

describe.each(Object.entries(FAULTS))('%s', (_name, fault) => {
  it('the visitor gets a clear retryable error, nothing acknowledged is lost, and it recovers', async () => {
    const sink = captureLog('error');
    const s = await startRealServer({}, { log: sink.log, limits: { messagesPerVisitor: { capacity: 10_000, perSecond: 1_000 }, eventsPerSocket: { capacity: 10_000, perSecond: 1_000 } } });
    running.push(s);
    const { sock, cid } = await visitor(s);
    const send = (clientId: string, text: string) => sock.timeout(10_000).emitWithAck('message:send', { conversationId: cid, clientId, text }) as Promise<Ack>;

    // acknowledged before the fault
    const acked: string[] = ['How do I reset my password?'];
    expect(await send('fault-msg-0000', acked[0]!)).toMatchObject({ ok: true });
    await until('the bot reply', async () => (await s.server.store.messages.list(cid)).length >= 3);

    fault.inject(s);
    // the disk fills up under traffic: messages are acked while they fit, then refused clearly
    let refused: { clientId: string; text: string; ack: Ack } | null = null;
    for (let i = 1; i < 400 && !refused; i++) {
      const clientId = `fault-msg-${String(i).padStart(4, '0')}`;
      const text = `Message ${i}: ${'the parcel never arrived and nobody answers the phone. '.repeat(30)}`;
      const ack = await send(clientId, text);
      if (ack.ok) acked.push(text);
      else refused = { clientId, text, ack };
    }
    expect(refused).not.toBeNull();
    expect(refused!.ack).toMatchObject({ ok: false, error: { code: 'storage_unavailable' } });
    expect(refused!.ack.error?.message).toMatch(/cannot save right now; nothing was stored/);
    expect(refused!.ack.error?.retryAfterMs).toBeGreaterThan(0);
    if (fault.everyWriteFails) {
      // a new conversation and an admin sign-in (a session write) fail the same clear way
      expect((await sock.timeout(10_000).emitWithAck('conversation:start', { flowId: 'nps', restart: true })) as Ack).toMatchObject({ ok: false, error: { code: 'storage_unavailable' } });
      const login = await fetch(`${s.server.url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
      expect(login.status).toBe(503);
      expect(await login.json()).toMatchObject({ ok: false, error: { code: 'storage_unavailable' } });
    }
    // the server is still up and reads still work
    expect((await fetch(`${s.server.url}/healthz`)).status).toBe(200);
    expect((await sock.timeout(10_000).emitWithAck('messages:since', { conversationId: cid, afterSeq: 0 })) as Ack).toMatchObject({ ok: true });
    expect(sink.errors().some((l) => l.msg === 'storage fault')).toBe(true);
    // every acknowledged message is stored; the refused one is not
    const stored = async () => (await s.server.store.messages.list(cid)).filter((m) => m.author === 'visitor').map((m) => m.text);
    expect(await stored()).toEqual(acked);

    fault.clear(s);
    // the widget's outbox sends the same client id again: stored once, answered by the bot
    expect(await send(refused!.clientId, refused!.text)).toMatchObject({ ok: true, duplicate: false });
    expect(await send(refused!.clientId, refused!.text)).toMatchObject({ ok: true, duplicate: true });
    expect(await stored()).toEqual([...acked, refused!.text]);
    const lastVisitorSeq = (await s.server.store.messages.list(cid)).filter((m) => m.author === 'visitor').at(-1)!.seq;
    await until('a bot reply after the recovery', async () => (await s.server.store.messages.list(cid)).some((m) => m.author === 'bot' && m.seq > lastVisitorSeq));
    const seqs = (await s.server.store.messages.list(cid)).map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));

    // ending it after recovery: the extraction lands
    expect((await sock.timeout(10_000).emitWithAck('conversation:end', { conversationId: cid })) as Ack).toMatchObject({ ok: true });
    await until('the extraction', () => s.server.store.extractions.get(cid));
    sock.close();
  });
});

describe('a fault while the extraction job runs', () => {
  it('the worker does not crash; once the fault clears the job is recorded and the extraction lands', async () => {
    const s = await startRealServer({}, { log: captureLog('error').log });
    running.push(s);
    const { sock, cid } = await visitor(s);
    expect((await sock.timeout(10_000).emitWithAck('message:send', { conversationId: cid, clientId: 'job-fault-a-xxxx', text: 'The delivery was late and the box was damaged.' })) as Ack).toMatchObject({ ok: true });
    await until('a bot reply', async () => (await s.server.store.messages.list(cid)).length >= 3);
    // end it, then make the disk read-only before the worker gets to record anything
    const demo = (await s.server.store.sites.getByKey('demo'))!;
    const owner = (await s.server.store.visitors.get((await s.server.store.conversations.get(cid))!.visitorId!))!;
    await s.server.service.endByVisitor(demo, owner, { conversationId: cid });
    s.server.db.pragma('query_only = ON');
    await new Promise((r) => setTimeout(r, 300));
    expect(await s.server.store.extractions.get(cid)).toBeNull();
    s.server.db.pragma('query_only = OFF');
    await until('the extraction after the fault', () => s.server.store.extractions.get(cid), 800);
    sock.close();
  });
});
