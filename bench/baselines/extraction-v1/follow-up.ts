/**
 * Follow-up rules: does someone need to get back to this visitor, why, and how soon.
 * critical: legal threats, fraud, safety; high: an explicit request to be contacted from an unhappy
 * visitor, or "urgent"; medium: a request from a content visitor, an unhappy detractor, a handoff
 * that did not happen; low: an unmet expectation alone.
 */
import type { Expectation, FollowUp, NpsCategory, SentimentLabel, Urgency } from '../../../shared/extraction.ts';
import type { Contact } from './contact.ts';

const CONTACT_REQUEST =
  /\b(call me|call (?:me )?back|ring me|phone me|contact me|email me|e-mail me|get back to me|reach (?:me|out to me)|text me|give me a call|speak (?:to|with) (?:a |an |someone|somebody|a real|your )?(?:human|person|manager|supervisor|agent|someone|somebody)|talk (?:to|with) (?:a |an )?(?:human|person|manager|supervisor|agent|someone|somebody)|follow up with me)\b/i;
const CRITICAL = /\b(lawyer|attorney|sue|suing|lawsuit|legal action|court|fraud\w*|scam|chargeback|stolen|hacked|data breach|injur\w*|unsafe|dangerous|fire|allergic reaction|ombudsman)\b/i;
const URGENT = /\b(urgent\w*|asap|immediately|right now|as soon as possible|emergency)\b/i;
const CANCEL = /\b(cancel\w*|close my account|unsubscribe|never (?:again|buying|ordering)|switch(?:ing)? to)\b/i;

export interface FollowUpInput {
  visitorText: string;
  sentiment: SentimentLabel;
  nps: NpsCategory | null;
  expectations: Expectation[];
  needsHuman: boolean;
  contact: Contact;
}

const RANK: Record<Urgency, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function decideFollowUp(input: FollowUpInput): FollowUp {
  const reasons: string[] = [];
  let urgency: Urgency | null = null;
  const raise = (u: Urgency, reason: string) => {
    reasons.push(reason);
    if (urgency === null || RANK[u] > RANK[urgency]) urgency = u;
  };
  const unhappy = input.sentiment === 'negative' || input.nps === 'detractor';
  const text = input.visitorText;

  if (CRITICAL.test(text)) raise('critical', 'mentions legal action, fraud or safety');
  if (CONTACT_REQUEST.test(text)) raise(unhappy ? 'high' : 'medium', 'asked to be contacted');
  if (URGENT.test(text) && unhappy) raise('high', 'says it is urgent');
  if (CANCEL.test(text) && unhappy) raise('high', 'may cancel or churn');
  if (input.needsHuman) raise('medium', 'wanted a person and the bot could not resolve it');
  if (input.nps === 'detractor' && input.sentiment === 'negative') raise('medium', 'unhappy detractor');
  const unmet = input.expectations.filter((e) => e.status === 'unmet');
  if (unmet.length && unhappy) raise(unmet.length > 1 ? 'medium' : 'low', `unmet expectation: ${unmet.map((e) => e.kind.replace('_', ' ')).join(', ')}`);

  return {
    needed: reasons.length > 0,
    reason: reasons.length ? reasons.join('; ') : null,
    urgency,
    contact: input.contact,
  };
}
