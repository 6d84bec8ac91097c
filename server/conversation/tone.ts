/**
 * How a visitor's message feels, for choosing the bot's acknowledgement: a complaint (apologise),
 * praise (thank), or neutral. Small cue lists in English, German, French and Spanish; a negator
 * just before a cue turns it around ("not good", "pas terrible"), and after "but"/"aber"/"mais"/
 * "pero" the later clause decides ("great quality but it arrived broken" is a complaint).
 * This only picks a polite line; the analysis pipeline reads sentiment properly.
 */
export type Tone = 'complaint' | 'praise' | 'neutral';

const NEGATIVE = [
  // en
  'lost', 'broken', 'broke', 'damaged', 'late', 'never arrived', 'never came', 'terrible', 'awful', 'horrible', 'bad', 'worst', 'disappoint', 'rude',
  'wrong', 'missing', 'annoy', 'poor', 'slow', 'useless', 'problem', 'issue', 'still waiting', 'waited', 'complain', 'frustrat', 'angry', 'unhappy',
  'not happy', 'ridiculous', 'unacceptable', 'nightmare', 'mess', 'faulty', 'crap', 'rubbish', 'sucks', 'hate', 'scam', 'cold', 'dirty',
  // de
  'verloren', 'kaputt', 'beschädigt', 'zu spät', 'verspätet', 'nie angekommen', 'schlecht', 'schrecklich', 'furchtbar', 'enttäuscht', 'enttäuschend',
  'unfreundlich', 'falsch', 'fehlt', 'ärger', 'langsam', 'leider', 'katastrophe', 'frech', 'unzufrieden', 'mangelhaft', 'defekt', 'nervig',
  // fr
  'perdu', 'cassé', 'abîmé', 'endommagé', 'en retard', 'jamais reçu', 'jamais arrivé', 'nul', 'horrible', 'déçu', 'décevant', 'impoli', 'mauvais',
  'manquant', 'lent', 'problème', 'malheureusement', 'inadmissible', 'scandaleux', 'mécontent', 'pénible', 'défectueux',
  // es
  'perdi', 'reclam', 'roto', 'dañado', 'tarde', 'retraso', 'nunca llegó', 'malo', 'mala', 'pésimo', 'fatal', 'decepcion', 'grosero', 'falta', 'lento',
  'problema', 'desgraciadamente', 'por desgracia', 'vergüenza', 'inaceptable', 'enfadado', 'molesto', 'defectuoso',
];
const POSITIVE = [
  // en
  'love', 'great', 'excellent', 'amazing', 'perfect', 'fantastic', 'happy', 'brilliant', 'fast', 'quick', 'helpful', 'friendly', 'recommend', 'wonderful',
  'awesome', 'good', 'nice', 'lovely', 'easy', 'smooth', 'pleased', 'impressed', 'thank', 'best',
  // de
  'super', 'toll', 'klasse', 'prima', 'ausgezeichnet', 'perfekt', 'schnell', 'freundlich', 'zufrieden', 'begeistert', 'empfehle', 'gut', 'liebe',
  'wunderbar', 'spitze', 'danke', 'einfach',
  // fr
  'génial', 'excellent', 'parfait', 'rapide', 'sympa', 'ravi', 'content', 'satisfait', 'adore', 'recommande', 'bien', 'top', 'merci', 'facile',
  'impeccable', 'formidable',
  // es
  'genial', 'excelente', 'perfecto', 'rápido', 'encantad', 'encanta', 'contento', 'satisfech', 'recomiendo', 'bien', 'bueno', 'buena', 'maravillos',
  'gracias', 'fácil', 'estupendo',
];
const NEGATORS = /\b(not|never|no|isn'?t|wasn'?t|don'?t|didn'?t|hardly|nicht|kein|keine|nie|pas|jamais|plus|nunca|tampoco|ni)\s+(\S+\s+)?$/;
const CONTRAST = /\b(but|however|though|although|yet|aber|jedoch|allerdings|doch|mais|cependant|pourtant|pero|sin embargo|aunque)\b/;

function escape(cue: string): string {
  return cue.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
// a cue starts a word; short cues ("bad", "nul", "top") must also end it
const cueRe = (cues: string[]) => new RegExp(`(?<![\\p{L}])(${cues.map((c) => (c.length <= 4 ? `${escape(c)}(?![\\p{L}])` : escape(c))).join('|')})`, 'giu');
const NEG_RE = cueRe(NEGATIVE);
const POS_RE = cueRe(POSITIVE);

function score(clause: string): number {
  let s = 0;
  for (const [re, sign] of [
    [NEG_RE, -1],
    [POS_RE, 1],
  ] as const) {
    for (const m of clause.matchAll(re)) {
      const before = clause.slice(0, m.index);
      // "not good" counts against; "not bad" is mild praise at most
      s += NEGATORS.test(before) ? (sign > 0 ? -1 : 0.5) : sign;
    }
  }
  return s;
}

export function toneOf(text: string): Tone {
  const t = text.toLowerCase().replace(/[’]/g, "'");
  const clauses = t.split(CONTRAST);
  // the clause after the last "but" decides when it carries feeling
  for (let i = clauses.length - 1; i >= 0; i -= 2) {
    const s = score(clauses[i] ?? '');
    if (s !== 0) return s < 0 ? 'complaint' : 'praise';
  }
  return 'neutral';
}
