/**
 * Hole 1 end to end: a visitor typing words that are Object properties ("constructor",
 * "__proto__", "toString") through the whole real server (offline engine, survey, extraction job
 * drained) gets sensible questions (never "NaN"), and the analysis lands: no NaN, no dead job,
 * the stored extraction parses with its shared schema.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { Extraction } from '../../shared/extraction.ts';
import type { Flow } from '../../shared/flow.ts';
import { connectResult, startRealServer, visitorSocket, type HostileServer } from './kit.ts';
import { until } from './wait.ts';

// whole conversations through the real server: slow on a busy 2-core machine, never timed
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const WORDS = 'constructor __proto__ toString hasOwnProperty valueOf prototype';

let s: HostileServer;
beforeAll(async () => {
  s = await startRealServer();
});
afterAll(async () => {
  await s.stop();
});

type Ack = { ok: boolean; error?: { code: string; message: string }; [k: string]: unknown };

async function converse(sock: Socket, flowId: string, answers: string[]): Promise<string> {
  const started = (await sock.emitWithAck('conversation:start', { flowId, restart: true })) as Ack & { conversation: { id: string } };
  expect(started.ok).toBe(true);
  const cid = started.conversation.id;
  let n = 0;
  for (const text of answers) {
    const c = await s.server.store.conversations.get(cid);
    if (!c || c.status !== 'open') break;
    const before = (await s.server.store.messages.list(cid)).length;
    const sent = (await sock.emitWithAck('message:send', { conversationId: cid, clientId: `proto-${flowId}-${n++}-xxxx`, text })) as Ack;
    expect(sent, text).toMatchObject({ ok: true });
    // the bot's answer (or the end of the conversation) follows
    await until('a bot reply', async () => (await s.server.store.messages.list(cid)).length > before + 1 || (await s.server.store.conversations.get(cid))?.status === 'ended');
  }
  if ((await s.server.store.conversations.get(cid))?.status === 'open') {
    expect((await sock.emitWithAck('conversation:end', { conversationId: cid })) as Ack).toMatchObject({ ok: true });
  }
  return cid;
}

describe('words that are Object properties, through the whole server', () => {
  it('the survey reads them as words and the extraction job lands without NaN', async () => {
    const sock = visitorSocket(s.server.url);
    expect(await connectResult(sock)).toBeNull();
    expect((await sock.emitWithAck('session:hello', { locale: 'en' })) as Ack).toMatchObject({ ok: true });

    const answers = ['constructor', '__proto__', `8 ${WORDS}`, `The constructor of the toString page was broken, hasOwnProperty valueOf`, WORDS, 'constructor', 'no'];
    const ids = [await converse(sock, 'nps', answers), await converse(sock, 'support', [`how do I reset my constructor password? ${WORDS}`, 'constructor', 'no'])];
    sock.close();

    for (const cid of ids) {
      const messages = await s.server.store.messages.list(cid);
      for (const m of messages) expect(m.text, `${m.author}: ${m.text}`).not.toMatch(/NaN|undefined|\[object |function /);
      // done, dead, or failed once (then waiting for a retry): each settles the question
      const job = await until('the extract job to finish', async () => {
        const jobs = (await Promise.all((['done', 'dead', 'pending'] as const).map((st) => s.server.store.jobs.listByStatus(st)))).flat();
        return jobs.find((j) => JSON.stringify(j.payload).includes(cid) && (j.status !== 'pending' || j.lastError !== null));
      });
      expect(job.status, job.lastError ?? '').toBe('done');
      const stored = await s.server.store.extractions.get(cid);
      expect(stored).not.toBeNull();
      const parsed = Extraction.parse(stored);
      expect(Number.isFinite(parsed.sentiment.score)).toBe(true);
      expect(JSON.stringify(parsed)).not.toMatch(/NaN|null,"label":"NaN"/);
    }
  });

  it('question ids that are Object properties do not break the extraction input', async () => {
    const site = (await s.server.store.sites.getByKey('demo'))!;
    const flow: Flow = {
      id: 'proto-ids',
      kind: 'survey',
      name: 'Proto',
      intro: 'Hi',
      questions: [
        { id: 'constructor', type: 'nps', prompt: 'Recommend us?', optional: false, when: [] },
        { id: '__proto__', type: 'stars', max: 5, prompt: 'Stars?', optional: false, when: [] },
        { id: 'toString', type: 'text', prompt: 'Why?', optional: false, when: [] },
      ],
      outro: 'Thanks',
    } as Flow;
    await s.server.store.flows.upsert(site.id, flow);
    const visitor = (await s.server.service.hello(site, undefined, {})).visitor;
    const c = await s.server.store.conversations.create({ siteId: site.id, visitorId: visitor.id, flowId: 'proto-ids', pageUrl: null }, Date.now());
    const input = (await s.server.store.extractions.loadInput(c.id))!;
    expect(input.scales.constructor).toBeUndefined();
    expect(input.scales.toString).toBeUndefined();
    expect(Object.getPrototypeOf(input.scales)).toBeNull();
  });
});
