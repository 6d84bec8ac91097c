import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationBus } from '../conversation/events.ts';
import { createJobWorker } from '../jobs/worker.ts';
import { createLogger } from '../logger.ts';
import { openDb } from '../store/db.ts';
import { createStore, type Store } from '../store/index.ts';
import { createResponsePorts } from './delivery.ts';
import { createMailer, SMTP_MISSING } from './mailer.ts';
import { header, startTestSmtp, type TestSmtp } from './smtp-test-server.ts';

const log = createLogger('silent');
const FROM = 'Acme Support <support@acme.test>';

let smtp: TestSmtp;
let dir: string;
const open: { close(): void }[] = [];

beforeEach(async () => {
  smtp = await startTestSmtp();
  dir = mkdtempSync(join(tmpdir(), 'parley-email-'));
});
afterEach(async () => {
  for (const o of open.splice(0)) o.close();
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});

/** one "process": a store over the test database, the ports and a job worker with their handlers */
function boot(mail: { url: string; from: string } | null = { url: smtp.url, from: FROM }) {
  const db = openDb(join(dir, 'p.db'));
  const store = createStore(db);
  const mailer = createMailer(mail);
  open.push(mailer, db);
  const ports = createResponsePorts({ store, bus: new ConversationBus(), mailer, log });
  const worker = createJobWorker({ jobs: store.jobs, handlers: ports.jobHandlers, log, backoff: { baseMs: 10, maxMs: 40 } });
  return { store, ports, worker };
}

async function site(store: Store): Promise<string> {
  return ((await store.sites.getByKey('acme')) ?? (await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [], identitySecret: 's' }))).id;
}

const mail = (siteId: string, key = 'rule:r1:c1:1') => ({
  siteId,
  to: 'marta.lopez@example.org',
  subject: 'Ihre Lieferung vom 14.',
  text: 'Hallo Marta,\nwir haben Ihre Nachricht erhalten und melden uns bis Freitag.\n',
  idempotencyKey: key,
});

describe('e-mail through a real SMTP server', () => {
  it('sends an e-mail once with the right headers and a plain-text body, even when asked twice', async () => {
    const { store, ports, worker } = boot();
    const siteId = await site(store);
    await ports.sendEmail(mail(siteId));
    await ports.sendEmail(mail(siteId));
    await worker.drain();

    expect(smtp.received).toHaveLength(1);
    const m = smtp.received[0]!;
    expect(m.to).toEqual(['marta.lopez@example.org']);
    expect(m.from).toBe('support@acme.test');
    expect(header(m.raw, 'From')).toBe('Acme Support <support@acme.test>');
    expect(header(m.raw, 'To')).toBe('marta.lopez@example.org');
    expect(header(m.raw, 'Subject')).toContain('Ihre Lieferung');
    expect(header(m.raw, 'Content-Type')).toMatch(/^text\/plain/);
    expect(header(m.raw, 'In-Reply-To')).toBeNull();
    const [logged] = await store.emails.log({ siteId, limit: 10 });
    expect(logged).toMatchObject({ status: 'sent', attempts: 1, to: 'marta.lopez@example.org' });
    expect(header(m.raw, 'Message-ID')).toBe(logged!.messageId);
    expect(logged!.messageId).toMatch(/^<[0-9a-f]{32}@acme\.test>$/);
  });

  it('sends once across a worker restart, and a repeat after the restart sends nothing', async () => {
    const first = boot();
    const siteId = await site(first.store);
    await first.ports.sendEmail(mail(siteId, 'playbook:thanks:c9'));
    // the first process stops before its worker ran the job
    await first.worker.stop();
    for (const o of open.splice(0)) o.close();

    const second = boot();
    await second.ports.sendEmail(mail(siteId, 'playbook:thanks:c9'));
    await second.worker.drain();
    await second.ports.sendEmail(mail(siteId, 'playbook:thanks:c9'));
    await second.worker.drain();
    expect(smtp.received).toHaveLength(1);
    expect(await second.store.emails.log({ limit: 10 })).toHaveLength(1);
  });

  it('shows a 550 rejection as refused and does not try again', async () => {
    smtp.reject = (to) => (to.startsWith('nobody') ? [550, 'Mailbox unavailable'] : null);
    const { store, ports, worker } = boot();
    const siteId = await site(store);
    await ports.sendEmail({ ...mail(siteId), to: 'nobody@example.org' });
    await worker.drain();
    const [logged] = await store.emails.log({ siteId, limit: 10 });
    expect(logged).toMatchObject({ status: 'refused', attempts: 1 });
    expect(logged!.lastError).toContain('Mailbox unavailable');
    expect(await store.jobs.counts()).toMatchObject({ pending: 0, dead: 1 });
    expect(smtp.received).toHaveLength(0);
  });

  it('retries a 4xx with backoff and sends it once the server accepts', async () => {
    let refusals = 2;
    smtp.reject = () => (refusals-- > 0 ? [451, 'Greylisted, try again later'] : null);
    const { store, ports, worker } = boot();
    const siteId = await site(store);
    await ports.sendEmail(mail(siteId));
    await worker.drain();
    expect(smtp.received).toHaveLength(1);
    expect((await store.emails.log({ siteId, limit: 10 }))[0]).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('gives up a 4xx that never clears after the last attempt, visibly', async () => {
    smtp.reject = () => [421, 'Service not available'];
    const { store, ports, worker } = boot();
    const siteId = await site(store);
    await ports.sendEmail(mail(siteId));
    await worker.drain();
    expect((await store.emails.log({ siteId, limit: 10 }))[0]).toMatchObject({ status: 'failed', attempts: 5 });
    expect(smtp.received).toHaveLength(0);
  });

  it('without SMTP settings a send fails in the log with what to set, and nothing crashes', async () => {
    const { store, ports, worker } = boot(null);
    const siteId = await site(store);
    await ports.sendEmail(mail(siteId));
    await worker.drain();
    const [logged] = await store.emails.log({ siteId, limit: 10 });
    expect(logged).toMatchObject({ status: 'failed', lastError: SMTP_MISSING });
  });

  it('threads later e-mails about the same conversation under the first (In-Reply-To, References)', async () => {
    const { store, ports, worker } = boot();
    const siteId = await site(store);
    const { visitor } = await store.visitors.create(siteId, 'de-DE');
    const c = await store.conversations.create({ siteId, visitorId: visitor.id, flowId: null });
    await ports.sendEmail({ ...mail(siteId, 'k1'), conversationId: c.id });
    await ports.sendEmail({ ...mail(siteId, 'k2'), conversationId: c.id, subject: 'Gelöst' });
    await worker.drain();
    expect(smtp.received).toHaveLength(2);
    const firstId = header(smtp.received.find((m) => !header(m.raw, 'In-Reply-To'))!.raw, 'Message-ID');
    const second = smtp.received.find((m) => header(m.raw, 'In-Reply-To'))!;
    expect(header(second.raw, 'In-Reply-To')).toBe(firstId);
    expect(header(second.raw, 'References')).toBe(firstId);
  });
});
