/**
 * Found by the fuzzer: a value zod cannot even read (an object whose `length` is an object with a
 * non-callable toString) made validation throw, answered `internal` and logged as a server error.
 * It is a client mistake: invalid_payload / 400, nothing logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectIo } from 'socket.io-client';
import { captureLog } from './log-sink.ts';
import { connectResult, signIn, startRealServer, visitorSocket, type HostileServer } from './kit.ts';

const NASTY = { length: { toString: 'x' } };
const sink = captureLog('error');
let s: HostileServer;
beforeAll(async () => {
  s = await startRealServer({}, { log: sink.log });
});
afterAll(async () => {
  await s.stop();
});

describe('values validation cannot read', () => {
  it('on /visitor, /admin and the admin API they are invalid_payload, not internal', async () => {
    const v = visitorSocket(s.server.url);
    expect(await connectResult(v)).toBeNull();
    expect(await v.timeout(5_000).emitWithAck('session:hello', { locale: 'en', pageUrl: NASTY })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await v.timeout(5_000).emitWithAck('session:hello', { locale: 'en' })).toMatchObject({ ok: true });
    expect(await v.timeout(5_000).emitWithAck('conversation:start', { flowId: NASTY })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    v.close();

    const owner = await signIn(s.server.url);
    const a = connectIo(`${s.server.url}/admin`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: owner.cookie, origin: s.server.url } });
    expect(await connectResult(a)).toBeNull();
    expect(await a.timeout(5_000).emitWithAck('site:unsubscribe', { siteId: NASTY })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    a.close();

    const res = await fetch(`${s.server.url}/api/admin/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: owner.cookie, 'x-csrf-token': owner.csrf },
      body: JSON.stringify({ email: NASTY, name: NASTY, password: NASTY, role: 'agent' }),
    });
    expect(res.status).toBe(400);
    expect(sink.errors()).toEqual([]);
  });
});
