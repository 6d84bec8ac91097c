/**
 * Expectations: what the customer says they expected, were promised or were told ("I expected",
 * "was supposed to", "you promised", "I was told", "hoped", "should have"; "erwartet",
 * "versprochen", "sollte"; "je m'attendais", "promis", "censé", "devait"; "esperaba",
 * "prometido", "me dijeron", "debería"), never topic words alone ("cheap" is not a met price).
 * The kind comes from what the sentence is about (glossed to English for de/fr/es, else the
 * neighbouring sentences); the status from the evidence around it: a bad outcome ("still",
 * "never", "not yet", "instead", "nobody"; "immer noch", "toujours pas", "todavía no") is unmet,
 * a good one ("and it did", "as promised", "tatsächlich", "bien arrivé", "y llegó") met, else the
 * sentiment of those sentences; a present-tense demand ("I expect an answer") stays unknown
 * without evidence.
 */
import type { Expectation } from '../../shared/extraction.ts';
import { glossToEnglish } from './lang/gloss.ts';
import { words, type Lang } from './lang/tokens.ts';
import { conceptsOf } from './topic-concepts.ts';
import type { SentimentResult } from './sentiment.ts';

interface Cues {
  /** past or counterfactual: the outcome is usually told */
  past: RegExp;
  /** "supposed to"/"should have": unmet unless the text says it happened */
  counterfactual: RegExp;
  /** present-tense demand */
  present: RegExp;
  unmet: RegExp;
  met: RegExp;
}

const CUES: Record<Lang, Cues> = {
  en: {
    past: words('i expected', 'i was expecting', 'expected (?:it|the|to|that|a|my)', 'you promised', 'promised (?:me|us|a|the|to|that)', 'was promised', 'were promised', '(?:i|we) (?:was|were) told', '(?:they|you|he|she|the agent) told me', 'i hoped', 'i was hoping', 'hoped (?:the|that|it|to)', 'as promised', 'guaranteed', 'said it would', 'i was assured'),
    counterfactual: words('(?:was|were|is|are) supposed to', 'should have', "should've", '(?:was|were) meant to'),
    present: words('i expect', 'i am expecting', "i'm expecting"),
    unmet: words('still', 'never', 'not yet', 'instead', 'nobody', 'no one', 'nothing', "(?:haven'?t|hasn'?t|didn'?t|wasn'?t|isn'?t|weren'?t|won'?t)", 'not', 'no (?:refund|reply|answer|call|sign)', 'late', 'disappoint\\p{L}*', 'backordered'),
    met: words('and it did', 'and (?:it|they) (?:was|were|came|arrived|worked)', 'as promised', '(?:arrived|came|delivered) (?:on time|early|a day early)', 'on time', 'worked (?:fine|perfectly|great)?', 'exactly'),
  },
  de: {
    past: words('(?:hatte|habe|hätte) (?:\\p{L}+ ){0,3}erwartet', 'erwartet', 'versprochen', 'zugesagt', 'mir wurde gesagt', 'hieß es', 'gehofft', 'hoffte', 'garantiert'),
    counterfactual: words('sollte', 'sollten', 'hätte (?:\\p{L}+ ){0,4}sollen', 'müsste'),
    present: words('ich erwarte', 'wir erwarten'),
    unmet: words('immer noch', 'noch immer', 'noch nicht', 'nie', 'niemals', 'niemand', 'stattdessen', 'nicht', 'kein\\p{L}*', 'bis heute', 'leider', 'verspätet', 'zu spät'),
    met: words('tatsächlich', 'wie versprochen', 'pünktlich', 'hat (?:\\p{L}+ )?geklappt', 'kam (?:auch|tatsächlich|pünktlich)', 'wie angekündigt'),
  },
  fr: {
    past: words("je m'attendais", "m'attendais", 'attendais', "(?:m'|on m'|vous m')?avait promis", 'promis', 'promise', "on m'a dit", "m'avait dit", "on m'avait dit", 'espérais', 'garanti', 'comme indiqué'),
    counterfactual: words('censée?', 'devait', 'devaient', 'aurait dû', 'aurais dû'),
    present: words("j'attends", 'je compte sur'),
    unmet: words('toujours pas', 'toujours rien', 'jamais', 'pas encore', 'au lieu', 'personne', 'rien', 'pas', 'mais', 'retard', 'en retard'),
    met: words('bien arrivée?', 'comme promis', "à l'heure", 'effectivement', 'en effet', 'impeccable'),
  },
  es: {
    past: words('esperaba', 'prometieron', 'prometido', 'prometió', 'me dijeron', 'dijeron que', 'garantizado', 'como indicaron', 'me aseguraron'),
    counterfactual: words('debería', 'deberían', 'debía', 'debían', 'tenía que', 'se suponía'),
    present: words('espero', 'exijo'),
    unmet: words('todavía no', 'aún no', 'nunca', 'nadie', 'en lugar de', 'nada', 'no', 'pero', 'retraso', 'tarde'),
    met: words('y llegó', 'y así fue', 'como prometieron', 'a tiempo', 'efectivamente', 'todo perfecto'),
  },
};

/** what an expectation is about, tested on the English gloss, most specific first */
const KINDS: [Expectation['kind'], RegExp][] = [
  ['refund', words('refund\\p{L}*', 'money back', 'reimburs\\p{L}*')],
  ['response_time', words('call ?back', 'callback', 'call', 'phone', 'reply', 'respon\\p{L}*', 'answer\\p{L}*', 'get back', 'got back', 'contact\\p{L}*', 'hear back', 'emails?')],
  ['price', words('price\\p{L}*', 'discount\\p{L}*', 'code', 'coupon', '\\d+ ?%(?: off)?', 'off my', 'cost\\p{L}*', 'cheap\\p{L}*', 'expensive', 'charged?', 'fees?', 'sale', 'free (?:shipping|delivery|returns)', '[$£€] ?\\d+')],
  ['delivery', words('deliver\\p{L}*', 'arriv\\p{L}*', 'ship\\p{L}*', 'parcel', 'package', 'courier', 'tracking', 'be here', 'get it by', 'receive\\p{L}*', 'order')],
  ['quality', words('quality', 'colou?r', 'photos?', 'pictures?', 'match', 'broken', 'material', 'fabric', 'look\\p{L}*', 'durable', 'made')],
  ['feature', words('feature', 'option', 'integrat\\p{L}*', 'support for', 'ability to')],
];

/** when no kind word is in reach: the customer-service concept of the sentence (topic-concepts.ts) */
const KIND_OF_CONCEPT = new Map<string, Expectation['kind']>([
  ['return', 'refund'],
  ['service', 'response_time'],
  ['price', 'price'],
  ['payment', 'price'],
  ['delivery', 'delivery'],
  ['defect', 'quality'],
  ['size', 'quality'],
  ['shop', 'feature'],
]);

function kindOf(text: string, lang: Lang): Expectation['kind'] | null {
  const english = glossToEnglish(text, lang);
  for (const [kind, re] of KINDS) if (re.test(english) || (lang !== 'en' && re.test(text))) return kind;
  for (const c of conceptsOf(english)) {
    const kind = KIND_OF_CONCEPT.get(c);
    if (kind) return kind;
  }
  return null;
}

const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 197)}...` : s);

export function findExpectations(visitorSentences: string[], lang: Lang, score: (text: string) => SentimentResult): Expectation[] {
  const cues = CUES[lang];
  const out: Expectation[] = [];
  visitorSentences.forEach((sentence, i) => {
    const past = cues.past.test(sentence);
    const counterfactual = cues.counterfactual.test(sentence);
    const present = cues.present.test(sentence);
    if (!past && !counterfactual && !present) return;
    const kind =
      kindOf(sentence, lang) ??
      kindOf(visitorSentences.slice(i + 1, i + 3).join(' '), lang) ??
      kindOf(visitorSentences.slice(Math.max(0, i - 1), i).join(' '), lang) ??
      kindOf(visitorSentences.join(' '), lang) ??
      'other';
    if (out.some((e) => e.kind === kind)) return;
    // the evidence: the sentence itself, with the cue removed, and its neighbours
    const around = [...visitorSentences.slice(Math.max(0, i - 2), i), sentence.replace(cues.past, ' ').replace(cues.counterfactual, ' '), ...visitorSentences.slice(i + 1, i + 3)].join(' ');
    const unmet = cues.unmet.test(around);
    const met = cues.met.test(around);
    let status: Expectation['status'];
    if (met && !unmet) status = 'met';
    else if (unmet && !met) status = 'unmet';
    else if (present && !past && !counterfactual) status = 'unknown';
    else {
      const label = score([sentence, ...visitorSentences.slice(i + 1, i + 3)].join(' ')).label;
      status = label === 'negative' ? 'unmet' : label === 'positive' ? 'met' : counterfactual ? 'unmet' : 'unknown';
    }
    // a short cue sentence ("I had expected it by Friday.") needs the one before it to be understood
    const previous = visitorSentences[i - 1];
    const text = sentence.split(/\s+/).length < 8 && previous ? `${previous} ${sentence}` : sentence;
    out.push({ kind, text: clip(text), status });
  });
  return out.slice(0, 3);
}
