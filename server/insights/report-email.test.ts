import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationBus } from '../conversation/events.ts';
import { createJobWorker } from '../jobs/worker.ts';
import { createLogger } from '../logger.ts';
import { createReach, type Reach } from '../respond/reach.ts';
import { startTestSmtp, type TestSmtp } from '../respond/smtp-test-server.ts';
import { WEEKLY_REPORT_JOB } from './service.ts';
import { insightKit } from './test-kit.ts';

const NOW = Date.parse('2026-05-20T12:00:00Z');
const log = createLogger('silent');
let smtp: TestSmtp;
let reach: Reach | null = null;

beforeAll(async () => {
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await reach?.close();
  await smtp.close();
});

describe('weekly insight report by e-mail', () => {
  it('arrives at a real SMTP server through the reach ports, once', async () => {
    const kit = await insightKit({
      now: NOW,
      ports: (store) => {
        reach = createReach({ store, bus: new ConversationBus(), log, llm: null, mail: { url: smtp.url, from: 'Parley <reports@acme.test>' } });
        return reach.ports;
      },
    });
    for (let i = 0; i < 6; i++) {
      await kit.add({
        startedAt: Date.parse('2026-05-14T10:00:00Z') + i * 3_600_000,
        ratings: [{ type: 'nps', value: i < 4 ? 10 : 2 }],
        sentiment: i < 4 ? 0.7 : -0.7,
        topics: [i < 4 ? 'Product quality' : 'Delivery'],
        visitor: [i < 4 ? 'The boots are great, warm and waterproof.' : 'Still waiting for my parcel after ten days.'],
      });
    }
    const s = await kit.insights.setSchedule(kit.siteId, 'owner@acme.test', false);
    const [job] = await kit.store.jobs.claim([WEEKLY_REPORT_JOB], 10, 60_000, s.nextRunAt!);
    await kit.insights.handlers[WEEKLY_REPORT_JOB]!(job!.payload, job!);
    // the same run again (a retry) sends nothing new: the idempotency key holds
    await kit.insights.handlers[WEEKLY_REPORT_JOB]!(job!.payload, job!);
    const worker = createJobWorker({ jobs: kit.store.jobs, handlers: reach!.jobHandlers, log, pollMs: 20 });
    await worker.drain();
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['owner@acme.test']);
    expect(mail.raw).toMatch(/Subject: Weekly insight report 2026-05-13 to 2026-05-19/);
    expect(mail.raw).toContain('## Key figures');
    expect(mail.raw).toContain('Still waiting for my parcel');
  });
});
