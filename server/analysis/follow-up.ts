/**
 * Follow-up: does someone need to get back to this customer, why, and how soon — decided from
 * what they asked for or threatened (lang/intents.ts, four languages), how they feel and what
 * went unmet.
 * critical: legal action, chargebacks, fraud, safety (injury, fire, allergic reaction), data
 *   loss or breach — nothing else;
 * high: an unhappy customer asking to be called back, or whose promised call never came, or who
 *   is cancelling; anything needed that the customer calls urgent;
 * medium: a refund or replacement demanded or outstanding, a cancellation to carry out, a defect or failure to fix, a
 *   request to be written to, a content customer's call-back request, an unhappy detractor,
 *   a handoff the bot could not make;
 * low: an unhappy customer with nothing concrete to act on (an unmet expectation, a complaint).
 */
import type { Expectation, FollowUp, NpsCategory, SentimentLabel, Urgency } from '../../shared/extraction.ts';
import type { Contact } from './contact.ts';
import { CRITICAL_INTENTS, type Intent } from './lang/intents.ts';

export interface FollowUpInput {
  intents: ReadonlySet<Intent>;
  sentiment: SentimentLabel;
  nps: NpsCategory | null;
  expectations: Expectation[];
  needsHuman: boolean;
  contact: Contact;
  /** a refund or replacement is demanded or outstanding (lang/intents.ts demandsRefund), not thanked for or asked about */
  refundDemanded?: boolean;
}

const RANK: Record<Urgency, number> = { low: 0, medium: 1, high: 2, critical: 3 };

const CRITICAL_REASON: Partial<Record<Intent, string>> = {
  legal: 'threatens legal action',
  chargeback: 'threatens a chargeback',
  fraud: 'reports fraud or theft',
  safety: 'reports a safety issue',
  data_breach: 'reports a data breach or hacked account',
};

export function decideFollowUp(input: FollowUpInput): FollowUp {
  const reasons: string[] = [];
  let urgency: Urgency | null = null;
  const raise = (u: Urgency, reason: string) => {
    reasons.push(reason);
    if (urgency === null || RANK[u] > RANK[urgency]) urgency = u;
  };
  const has = (i: Intent) => input.intents.has(i);
  const unhappy = input.sentiment === 'negative' || input.nps === 'detractor';

  for (const i of CRITICAL_INTENTS) if (has(i)) raise('critical', CRITICAL_REASON[i] ?? i);
  if (has('callback')) raise(unhappy ? 'high' : 'medium', 'asked to be called back or contacted');
  if (has('contact_broken')) raise('high', 'a promised call or reply never came');
  if (has('cancel')) raise(unhappy ? 'high' : 'medium', 'wants to cancel');
  if ((has('refund') || has('replacement')) && (unhappy || input.refundDemanded)) raise('medium', has('refund') ? 'refund requested or outstanding' : 'replacement requested');
  if (has('problem') && unhappy) raise('medium', 'reports a problem to fix');
  if (has('notify')) raise('medium', 'asked to be written to');
  if (input.needsHuman) raise('medium', 'wanted a person and the bot could not resolve it');
  if (input.nps === 'detractor' && input.sentiment === 'negative') raise('medium', 'unhappy detractor');
  const unmet = input.expectations.filter((e) => e.status === 'unmet');
  if (unmet.length && unhappy) raise('low', `unmet expectation: ${unmet.map((e) => e.kind.replace('_', ' ')).join(', ')}`);
  if (!reasons.length && input.sentiment === 'negative') raise('low', 'unhappy customer');
  const current: Urgency | null = urgency;
  if (has('urgent') && current !== null && RANK[current] < RANK.high) {
    urgency = 'high';
    reasons.push('says it is urgent');
  }

  return {
    needed: reasons.length > 0,
    reason: reasons.length ? reasons.join('; ') : null,
    urgency,
    contact: input.contact,
  };
}
