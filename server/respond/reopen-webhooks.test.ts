/**
 * Webhooks around a conversation that ended for inactivity, was reopened by the visitor's late
 * reply (an offline outbox) and ended again (the whole server, offline engine, real receiver):
 * each end is announced, and so is the reopen, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../shared/site.ts';
import type { RunningServer } from '../main.ts';
import { startOfflineServer } from '../testing/offline-server.ts';
import { recordingPorts } from './recording-ports.ts';
import { startReceiver, type Receiver } from './test-receiver.ts';

const HOUR = 60 * 60_000;
let stop: () => Promise<void> = async () => undefined;
let server: RunningServer;
let site: Site;
let receiver: Receiver;

beforeAll(async () => {
  // the idle sweeper is driven by the test (endIdle with a later clock), never by a timer
  ({ server, close: stop } = await startOfflineServer('reopen-hooks', { responsePorts: recordingPorts(), idleSweepMs: 24 * HOUR }, { PARLEY_WEBHOOKS_ALLOW_PRIVATE: 'true' }));
  site = (await server.store.sites.getByKey('demo'))!;
  receiver = await startReceiver();
});

afterAll(async () => {
  await stop();
  await receiver?.close();
});

interface Envelope {
  event: string;
  conversationId: string | null;
  data: Record<string, unknown>;
}

describe('a conversation that ended idle, was reopened and ended again', () => {
  it('sends conversation.ended for each end and conversation.reopened in between, in order', async () => {
    await server.store.respond.webhooks.create({ siteId: site.id, name: 'crm', url: receiver.url, secret: 'whsec_test', events: ['conversation.ended', 'conversation.reopened', 'conversation.analysed'], format: 'json' });
    const { visitor } = await server.service.hello(site, undefined, { locale: 'en' });
    const { conversation } = await server.service.start(site, visitor, { flowId: 'nps', restart: false });
    const send = (clientId: string, text: string) => server.service.sendVisitorMessage(site, visitor, { conversationId: conversation.id, clientId, text });
    await send('c-score', '3');
    await server.service.idle();

    // the idle sweeper ends it: first end, and its analysis
    expect(await server.service.endIdle(Date.now() + 2 * HOUR)).toBeGreaterThanOrEqual(1);
    await receiver.waitFor(2);
    // the visitor's late reply reopens it; the visitor then ends it
    await send('c-late', 'The parcel came two weeks late and the box was crushed.');
    await server.service.idle();
    expect(await server.service.endByVisitor(site, visitor, { conversationId: conversation.id })).toBeDefined();
    await receiver.waitFor(5);

    const got = receiver.received.map((r) => JSON.parse(r.body) as Envelope).filter((e) => e.conversationId === conversation.id);
    expect(got.map((e) => e.event)).toEqual(['conversation.ended', 'conversation.analysed', 'conversation.reopened', 'conversation.ended', 'conversation.analysed']);
    expect(got.map((e) => e.data.reason ?? e.data.previousEndReason ?? null)).toEqual(['idle', null, 'idle', 'visitor', null]);
    // the second analysis read the reply that reopened it
    expect(JSON.stringify(got[4]!.data)).not.toEqual(JSON.stringify(got[1]!.data));
    expect(receiver.received.map((r) => r.headers['parley-event'])).toEqual(got.map((e) => e.event));
  });
});
