/**
 * CSV export neutralises formula injection: every cell a visitor controls (name, e-mail, message
 * text) that starts with = + - @ tab or CR is prefixed with a quote in the real export download.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FORMULA_PAYLOADS } from './payloads.ts';
import { connectResult, signIn, startRealServer, visitorSocket, type HostileServer } from './kit.ts';

// whole conversations through the real server: slow on a busy 2-core machine, never timed
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      (row = []), (field = ''), i++;
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

let s: HostileServer;
beforeAll(async () => {
  s = await startRealServer();
});
afterAll(async () => {
  await s.stop();
});

describe('CSV export and formula injection', () => {
  it('no cell of the real export starts with = + - @ tab or CR', async () => {
    // e-mail addresses may legally start with + or -
    const emails = ['+1@evil.test', '-2@evil.test'];
    for (const [i, payload] of FORMULA_PAYLOADS.entries()) {
      const v = visitorSocket(s.server.url);
      expect(await connectResult(v)).toBeNull();
      await v.emitWithAck('session:hello', { locale: 'en', pageUrl: payload });
      const cid = ((await v.emitWithAck('conversation:start', { flowId: 'support', restart: true })) as { conversation: { id: string } }).conversation.id;
      const identified = (await v.emitWithAck('visitor:identify', { id: payload, name: payload, ...(i < emails.length ? { email: emails[i] } : {}) })) as { ok: boolean };
      expect(identified).toMatchObject({ ok: true });
      expect((await v.emitWithAck('message:send', { conversationId: cid, clientId: `csv-${i}-xxxxxxx`, text: payload })) as { ok: boolean }).toMatchObject({ ok: true });
      await v.emitWithAck('conversation:end', { conversationId: cid });
      v.close();
    }
    const owner = await signIn(s.server.url);
    const res = await fetch(`${s.server.url}/api/admin/conversations/export?format=csv`, { headers: { cookie: owner.cookie } });
    expect(res.status).toBe(200);
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
    const header = rows[0]!;
    const body = rows.slice(1).filter((r) => r.length === header.length);
    expect(body.length).toBeGreaterThanOrEqual(FORMULA_PAYLOADS.length);
    const names = body.map((r) => r[header.indexOf('visitor_name')]!);
    for (const payload of FORMULA_PAYLOADS) expect(names).toContain(`'${payload}`);
    const mails = body.map((r) => r[header.indexOf('visitor_email')]!).filter(Boolean);
    expect(mails.length).toBeGreaterThan(0);
    for (const row of body) for (const cell of row) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@\t\r]/);
  });
});
