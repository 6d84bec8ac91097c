import { describe, expect, it } from 'vitest';
import { decideFollowUp, type FollowUpInput } from './follow-up.ts';
import type { Intent } from './lang/intents.ts';

const base: FollowUpInput = { intents: new Set(), sentiment: 'neutral', nps: null, expectations: [], needsHuman: false, contact: { email: null, phone: null } };
const withIntents = (...i: Intent[]) => ({ ...base, intents: new Set(i) });

describe('follow-up decision', () => {
  it('critical only for legal, chargeback, fraud, safety and data-breach intents, whatever else was said', () => {
    for (const i of ['legal', 'chargeback', 'fraud', 'safety', 'data_breach'] as const) {
      expect(decideFollowUp({ ...withIntents(i, 'callback'), sentiment: 'negative' }), i).toMatchObject({ needed: true, urgency: 'critical' });
    }
    // an urgent, angry call-back request is high, not critical
    expect(decideFollowUp({ ...withIntents('callback', 'urgent'), sentiment: 'negative' }).urgency).toBe('high');
  });

  it('a call-back request is high from an unhappy customer, medium from a content one', () => {
    expect(decideFollowUp({ ...withIntents('callback'), sentiment: 'negative' }).urgency).toBe('high');
    expect(decideFollowUp({ ...withIntents('callback'), sentiment: 'positive' }).urgency).toBe('medium');
  });

  it('a promised call that never came is high', () => {
    expect(decideFollowUp({ ...withIntents('contact_broken'), sentiment: 'negative' }).urgency).toBe('high');
  });

  it('cancelling is medium, and high when the customer is unhappy', () => {
    expect(decideFollowUp(withIntents('cancel'))).toMatchObject({ needed: true, urgency: 'medium' });
    expect(decideFollowUp({ ...withIntents('cancel'), sentiment: 'negative' }).urgency).toBe('high');
  });

  it('a refund or replacement demanded or outstanding is medium; thanks for a refund or a question about refunds needs nothing', () => {
    expect(decideFollowUp({ ...withIntents('refund'), sentiment: 'negative' }).urgency).toBe('medium');
    expect(decideFollowUp({ ...withIntents('replacement'), refundDemanded: true }).urgency).toBe('medium');
    expect(decideFollowUp({ ...withIntents('refund'), sentiment: 'positive' }).needed).toBe(false);
    expect(decideFollowUp({ ...withIntents('refund') }).needed).toBe(false);
  });

  it('a reported problem is medium when the customer is unhappy; "urgent" raises anything needed to high', () => {
    expect(decideFollowUp({ ...withIntents('problem'), sentiment: 'negative' }).urgency).toBe('medium');
    expect(decideFollowUp({ ...withIntents('problem', 'urgent'), sentiment: 'negative' }).urgency).toBe('high');
    // "urgent" alone from a content customer asks for nothing
    expect(decideFollowUp({ ...withIntents('urgent'), sentiment: 'positive' }).needed).toBe(false);
  });

  it('a handoff the bot could not resolve needs follow-up', () => {
    expect(decideFollowUp({ ...base, needsHuman: true })).toMatchObject({ needed: true, urgency: 'medium' });
  });

  it('an unmet expectation or a complaint with nothing to act on is low; a content customer needs nothing', () => {
    const unmet = [{ kind: 'delivery' as const, text: 'late', status: 'unmet' as const }];
    expect(decideFollowUp({ ...base, sentiment: 'negative', expectations: unmet })).toMatchObject({ needed: true, urgency: 'low' });
    expect(decideFollowUp({ ...base, sentiment: 'negative' })).toMatchObject({ needed: true, urgency: 'low' });
    expect(decideFollowUp({ ...base, sentiment: 'positive', expectations: unmet }).needed).toBe(false);
  });

  it('passes the contact details through even when no follow-up is needed', () => {
    const contact = { email: 'a@b.co', phone: null };
    expect(decideFollowUp({ ...base, contact })).toEqual({ needed: false, reason: null, urgency: null, contact });
  });
});
