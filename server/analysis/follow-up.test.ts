import { describe, expect, it } from 'vitest';
import { decideFollowUp, type FollowUpInput } from './follow-up.ts';

const base: FollowUpInput = { visitorText: '', sentiment: 'neutral', nps: null, expectations: [], needsHuman: false, contact: { email: null, phone: null } };

describe('follow-up rules', () => {
  it('treats legal threats as critical whatever else was said', () => {
    const f = decideFollowUp({ ...base, visitorText: 'I will contact my lawyer about this fraud', sentiment: 'negative' });
    expect(f).toMatchObject({ needed: true, urgency: 'critical' });
  });

  it('a content visitor asking to be emailed is medium, an unhappy one high', () => {
    expect(decideFollowUp({ ...base, visitorText: 'could you email me the details?', sentiment: 'positive' }).urgency).toBe('medium');
    expect(decideFollowUp({ ...base, visitorText: 'email me, this is a mess', sentiment: 'negative' }).urgency).toBe('high');
  });

  it('a handoff the bot could not resolve needs follow-up', () => {
    expect(decideFollowUp({ ...base, needsHuman: true })).toMatchObject({ needed: true, urgency: 'medium' });
  });

  it('an unmet expectation alone is low urgency, and only when the visitor is unhappy', () => {
    const unmet = [{ kind: 'delivery' as const, text: 'late', status: 'unmet' as const }];
    expect(decideFollowUp({ ...base, sentiment: 'negative', expectations: unmet })).toMatchObject({ needed: true, urgency: 'low' });
    expect(decideFollowUp({ ...base, sentiment: 'positive', expectations: unmet }).needed).toBe(false);
  });

  it('passes the contact details through even when no follow-up is needed', () => {
    const contact = { email: 'a@b.co', phone: null };
    expect(decideFollowUp({ ...base, contact })).toEqual({ needed: false, reason: null, urgency: null, contact });
  });
});
