/**
 * A two-sentence summary of this conversation, extractive and in the customer's language: the
 * sentence that says what happened (the strongest event or opinion, preferring one with the
 * facts), then the one that says what they want or what they were promised or expected (a call
 * back, a refund, a cancellation, a threat, an expectation). Facts the customer gave (order
 * numbers, dates, amounts) that neither sentence carries are added in brackets. When the
 * customer said only one thing, the second sentence tells whether anyone needs to act.
 */
import type { ConversationLanguage, FollowUp } from '../../shared/extraction.ts';
import type { Intent } from './lang/intents.ts';

export interface SummarySentence {
  text: string;
  /** |sentiment| of the sentence */
  strength: number;
  intents: ReadonlySet<Intent>;
  /** an expectation was read from this sentence */
  expectation: boolean;
}

/** what the customer wants or threatens, most telling first */
const WANT_RANK = new Map<Intent, number>([
  ['legal', 6],
  ['chargeback', 6],
  ['callback', 5],
  ['cancel', 4],
  ['refund', 3],
  ['replacement', 3],
  ['notify', 2],
  ['urgent', 1],
]);
const WANTS: ReadonlySet<Intent> = new Set(WANT_RANK.keys());

const LABELS: Record<ConversationLanguage, { order: string; date: string; amount: string; none: string; needs: string }> = {
  en: { order: 'order', date: 'date', amount: 'amount', none: 'Nothing for the team to do.', needs: 'The team should follow up' },
  de: { order: 'Bestellung', date: 'Datum', amount: 'Betrag', none: 'Für das Team ist nichts zu tun.', needs: 'Das Team sollte sich melden' },
  fr: { order: 'commande', date: 'date', amount: 'montant', none: "Rien à faire pour l'équipe.", needs: "L'équipe doit donner suite" },
  es: { order: 'pedido', date: 'fecha', amount: 'importe', none: 'El equipo no tiene nada que hacer.', needs: 'El equipo debe hacer seguimiento' },
};

const ORDER = /(?:order|bestell\p{L}*|auftrag|commande|pedido|n°|nº|#)\s*(?:number|nummer|nr\.?|no\.?|n°|nº|#|:)?\s*#?(\d{4,})/giu;
const MONTHS = 'jan\\p{L}*|feb\\p{L}*|mar\\p{L}*|apr\\p{L}*|may|mai|jun\\p{L}*|jul\\p{L}*|aug\\p{L}*|sep\\p{L}*|o[ck]t\\p{L}*|nov\\p{L}*|de[cz]\\p{L}*|märz|januar|februar|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|monday|tuesday|wednesday|thursday|friday|montag|dienstag|mittwoch|donnerstag|freitag|lundi|mardi|mercredi|jeudi|vendredi|lunes|martes|miércoles|jueves|viernes';
const DATE = new RegExp(`(?<![\\p{L}\\d$£€.,])(?:(?:0?[1-9]|[12]\\d|3[01])[./](?:0?[1-9]|1[0-2])(?:[./]\\d{2,4})?\\.?|\\d{4}-\\d{2}-\\d{2}|(?:the )?\\d{1,2}(?:st|nd|rd|th|\\.|er)?(?: de)? (?:${MONTHS})|(?:${MONTHS}) \\d{1,2}(?:st|nd|rd|th)?|the \\d{1,2}(?:st|nd|rd|th))(?![\\p{L}\\d])`, 'giu');
const AMOUNT = /(?:[$£€]\s?\d+(?:[.,]\d{2})?|\d+(?:[.,]\d{2})?\s?(?:€|eur|euros?|dollars|bucks|\$|£))/giu;

export interface Facts {
  orders: string[];
  dates: string[];
  amounts: string[];
}

export function findFacts(text: string): Facts {
  const uniq = (xs: string[]) => [...new Set(xs.map((x) => x.trim()))];
  return {
    orders: uniq([...text.matchAll(ORDER)].map((m) => m[1] ?? '')),
    dates: uniq([...text.matchAll(DATE)].map((m) => m[0])),
    amounts: uniq([...text.matchAll(AMOUNT)].map((m) => m[0])),
  };
}

const clip = (s: string, n = 180) => (s.length > n ? `${s.slice(0, n - 3).trimEnd()}...` : s);
const asSentence = (s: string) => {
  const t = clip(s.trim().replace(/\s+/g, ' '));
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
};

export function summarize(sentences: SummarySentence[], lang: ConversationLanguage, followUp: FollowUp): string {
  const labels = LABELS[lang];
  const usable = sentences.filter((s) => s.text.split(/\s+/).length >= 3);
  if (!usable.length) return followUp.needed ? `${labels.needs}.` : labels.none;
  const wants = (s: SummarySentence) => [...s.intents].some((i) => WANTS.has(i));
  // what happened: strong, eventful, with facts; not the request itself
  const hasFact = (s: string) => {
    const f = findFacts(s);
    return f.orders.length + f.dates.length + f.amounts.length > 0;
  };
  // short outbursts ("Really not happy.") say less about what happened than a full sentence
  const eventScore = (s: SummarySentence) => {
    const n = s.text.split(/\s+/).length;
    return (
      s.strength * Math.min(1, n / 10) +
      (n >= 10 ? 0.3 : 0) +
      (s.intents.has('problem') ? 0.6 : 0) +
      (hasFact(s.text) ? 0.4 : 0) +
      ([...s.intents].some((i) => i === 'safety' || i === 'data_breach' || i === 'fraud') ? 1 : 0) -
      (wants(s) && n < 10 ? 0.5 : 0) -
      (s.expectation ? 0.2 : 0)
    );
  };
  const wantRank = (s: SummarySentence) => Math.max(0, ...[...s.intents].map((i) => WANT_RANK.get(i) ?? 0));
  const events = new Map(usable.map((s) => [s, eventScore(s)]));
  const byEvent = (a: SummarySentence, b: SummarySentence) => (events.get(b) ?? 0) - (events.get(a) ?? 0);
  const first = [...usable].sort(byEvent)[0]!;
  const rest = usable.filter((s) => s !== first);
  const second = [...rest].filter(wants).sort((a, b) => wantRank(b) - wantRank(a))[0] ?? rest.find((s) => s.expectation) ?? [...rest].sort(byEvent)[0] ?? null;
  const ordered = second && usable.indexOf(second) < usable.indexOf(first) ? [second, first] : [first, second];
  const picked = ordered.filter((s): s is SummarySentence => s !== null);
  let text = picked.map((s) => asSentence(s.text)).join(' ');
  if (picked.length < 2) text += ` ${followUp.needed ? `${labels.needs}${followUp.urgency ? ` (${followUp.urgency})` : ''}.` : labels.none}`;

  const shown = picked.map((s) => s.text).join(' ');
  const all = findFacts(sentences.map((s) => s.text).join(' '));
  const missing = [
    ...all.orders.filter((o) => !shown.includes(o)).map((o) => `${labels.order} ${o}`),
    ...all.dates.filter((d) => !shown.includes(d)).map((d) => `${labels.date} ${d}`),
    ...all.amounts.filter((a) => !shown.includes(a)).map((a) => `${labels.amount} ${a}`),
  ];
  return missing.length ? `${text} (${missing.slice(0, 4).join('; ')})` : text;
}
