/**
 * What the visitor expected (delivery, a feature, a price, a response time, quality) and whether
 * it was met. The kind comes from topic words in a sentence; the status from explicit cues
 * ("still waiting", "arrived on time"), else from the sentence's sentiment, else unknown.
 */
import type { Expectation } from '../../../shared/extraction.ts';
import { labelFor, scoreSentiment, type SentimentResult } from './sentiment.ts';

interface Rule {
  kind: Expectation['kind'];
  about: RegExp;
  unmet: RegExp;
  met: RegExp;
}

const RULES: Rule[] = [
  {
    kind: 'delivery',
    about: /\b(deliver\w*|arriv\w*|ship\w*|package|parcel|courier|tracking|dispatch\w*)\b/i,
    unmet: /\b(late|delay\w*|still (?:not|hasn'?t|haven'?t|waiting)|never (?:arrived|came|got)|not (?:arrived|received|here)|missing|lost|wrong (?:item|address))\b/i,
    met: /\b(on time|early|fast|quick\w*|as promised|arrived (?:today|yesterday|safely))\b/i,
  },
  {
    kind: 'response_time',
    about: /\b(respon\w*|repl\w*|get back|hear back|call(?:ed)? back|on hold|waiting|support)\b/i,
    unmet: /\b(no (?:one|answer|reply|response)|nobody|still waiting|never (?:heard|got|replied)|slow|days|weeks|hours)\b/i,
    met: /\b(quick\w*|fast|prompt\w*|right away|immediately|within minutes)\b/i,
  },
  {
    kind: 'price',
    about: /\b(price\w*|pric(?:y|ing)|cost\w*|expensive|cheap\w*|charg\w*|fee\w*|discount\w*|coupon|refund\w*|paid|pay\w*|money)\b/i,
    unmet: /\b(too expensive|overpriced|overcharg\w*|charged twice|double charged|hidden fees?|not worth|rip[- ]?off|no refund|refund\w* (?:yet|still)|still no refund)\b/i,
    met: /\b(worth (?:it|the)|good value|great value|fair price|cheap|affordable|refunded)\b/i,
  },
  {
    kind: 'feature',
    about: /\b(feature|option to|ability to|would be nice|wish (?:you|it|there)|support for|integrat\w*|can'?t find (?:a way|how)|does(?:n'?t| not) (?:support|have|let))\b/i,
    unmet: /\b(wish|missing|does(?:n'?t| not) (?:support|have|let)|can'?t|cannot|no way to|would be nice)\b/i,
    met: /\b(love (?:the|that)|exactly what|works (?:great|well|perfectly))\b/i,
  },
  {
    kind: 'quality',
    about: /\b(quality|broken|damaged|defect\w*|fell apart|faulty|material|fabric|stitch\w*|sturdy|durable)\b/i,
    unmet: /\b(broken|damaged|defect\w*|fell apart|faulty|cheap(?:ly)? made|poor quality|ripped|torn)\b/i,
    met: /\b(great quality|good quality|sturdy|durable|well made|high quality)\b/i,
  },
];

const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 197)}...` : s);

export function findExpectations(visitorSentences: string[], score: (text: string) => SentimentResult = scoreSentiment): Expectation[] {
  const out: Expectation[] = [];
  for (const rule of RULES) {
    const sentence = visitorSentences.find((s) => rule.about.test(s));
    if (!sentence) continue;
    let status: Expectation['status'];
    if (rule.unmet.test(sentence)) status = 'unmet';
    else if (rule.met.test(sentence)) status = 'met';
    else {
      const label = labelFor(score(sentence).score);
      status = label === 'negative' ? 'unmet' : label === 'positive' ? 'met' : 'unknown';
    }
    out.push({ kind: rule.kind, text: clip(sentence.trim()), status });
  }
  return out;
}
