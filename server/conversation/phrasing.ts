/**
 * The offline provider's words: deterministic; acknowledgements, probes and closing lines in the
 * widget's four languages (the clarifying prompts are still English). Variation comes from the
 * turn number, not randomness, so a transcript replays identically.
 */
import type { AnswerValue, Question } from '../../shared/flow.ts';
import { scaleOf } from './answer-parsing.ts';
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import type { ProbeReason } from './probes.ts';
import { toneOf, type Tone } from './tone.ts';

const pick = <T>(list: readonly T[], n: number): T => list[Math.abs(n) % list.length] as T;

type Localised = Readonly<Record<WidgetLang, readonly string[]>>;

const ACK_LINES = {
  complaint: {
    en: ['I’m sorry to hear that, and thank you for telling us.', 'Sorry about that. Thanks for being honest with us.', 'That’s not how it should be, I’m sorry. Thank you for letting us know.'],
    de: ['Das tut mir leid, danke, dass Sie es uns sagen.', 'Entschuldigung dafür. Danke für Ihre Offenheit.', 'So sollte es nicht sein, das tut mir leid. Danke für den Hinweis.'],
    fr: ['Je suis désolé de l’apprendre, merci de nous l’avoir dit.', 'Désolé pour cela. Merci pour votre franchise.', 'Ce n’est pas normal, je suis désolé. Merci de nous l’avoir signalé.'],
    es: ['Siento mucho oír eso, gracias por contárnoslo.', 'Disculpe las molestias. Gracias por su sinceridad.', 'No debería haber pasado, lo siento. Gracias por avisarnos.'],
  },
  lowScore: {
    en: ['Thanks for being honest. Sorry it wasn’t better.', 'Thank you for the honest answer.'],
    de: ['Danke für Ihre Ehrlichkeit. Schade, dass es nicht besser war.', 'Danke für die ehrliche Antwort.'],
    fr: ['Merci pour votre franchise. Désolé que ce n’ait pas été mieux.', 'Merci pour cette réponse honnête.'],
    es: ['Gracias por su sinceridad. Siento que no haya sido mejor.', 'Gracias por la respuesta sincera.'],
  },
  praise: {
    en: ['Thank you, that’s lovely to hear!', 'Great to hear, thank you!', 'Thanks, we’re really glad!'],
    de: ['Danke, das freut uns sehr!', 'Schön zu hören, vielen Dank!', 'Danke, das hören wir gern!'],
    fr: ['Merci, ça fait plaisir à entendre !', 'Ravi de l’entendre, merci !', 'Merci, nous en sommes ravis !'],
    es: ['¡Gracias, qué alegría leer eso!', '¡Nos alegra mucho, gracias!', '¡Gracias, nos encanta oír eso!'],
  },
  neutral: {
    en: ['Thanks!', 'Got it.', 'Thank you.', 'Noted, thanks.'],
    de: ['Danke!', 'Verstanden.', 'Vielen Dank.', 'Notiert, danke.'],
    fr: ['Merci !', 'C’est noté.', 'Merci beaucoup.', 'Bien reçu, merci.'],
    es: ['¡Gracias!', 'Entendido.', 'Muchas gracias.', 'Anotado, gracias.'],
  },
  skipped: {
    en: ['No problem, let’s move on.'],
    de: ['Kein Problem, weiter geht’s.'],
    fr: ['Pas de souci, passons à la suite.'],
    es: ['No pasa nada, sigamos.'],
  },
} as const satisfies Record<string, Localised>;

const DETAIL_THANKS = {
  complaint: {
    en: ['Thank you for explaining, and I’m sorry about that.', 'Thanks for the detail. I’m sorry you had that experience.'],
    de: ['Danke für die Erklärung, und das tut mir leid.', 'Danke für die Details. Schade, dass Sie das erlebt haben.'],
    fr: ['Merci pour ces précisions, et désolé pour cela.', 'Merci pour le détail. Désolé que vous ayez vécu cela.'],
    es: ['Gracias por explicarlo, y lo siento.', 'Gracias por el detalle. Siento que haya pasado por eso.'],
  },
  praise: {
    en: ['Thank you, that’s great to hear.', 'Lovely, thank you for sharing that.'],
    de: ['Danke, das freut uns.', 'Schön, danke, dass Sie das teilen.'],
    fr: ['Merci, ça fait plaisir.', 'Super, merci de le partager.'],
    es: ['Gracias, nos alegra mucho.', 'Genial, gracias por contarlo.'],
  },
  neutral: {
    en: ['Thank you, that’s really helpful.', 'Thanks, that helps a lot.'],
    de: ['Danke, das hilft uns sehr.', 'Danke, das ist hilfreich.'],
    fr: ['Merci, c’est très utile.', 'Merci, cela nous aide beaucoup.'],
    es: ['Gracias, es muy útil.', 'Gracias, nos ayuda mucho.'],
  },
} as const satisfies Record<string, Localised>;

/** bare numbers and clicked labels carry no feeling of their own */
const hasWords = (text: string | undefined): text is string => text !== undefined && /\p{L}{3,}/u.test(text);

/**
 * A short acknowledgement of the answer just given, reflecting it: an apology for a complaint
 * ("the courier lost my parcel"), thanks for praise, a neutral "Got it." otherwise; a low score
 * gets "thanks for being honest". Varied by `n`, in the visitor's language.
 */
export function acknowledge(q: Question, value: AnswerValue, n: number, said: { text?: string; lang?: WidgetLang } = {}): string {
  const lang = said.lang ?? 'en';
  if (value === null) return pick(ACK_LINES.skipped[lang], n);
  const tone: Tone = hasWords(said.text) ? toneOf(said.text) : 'neutral';
  if (tone === 'complaint') return pick(ACK_LINES.complaint[lang], n);
  if (typeof value === 'number') {
    const scale = scaleOf(q);
    if (scale) {
      const f = (value - scale[0]) / (scale[1] - scale[0]);
      if (f <= 0.4) return pick(ACK_LINES.lowScore[lang], n);
      if (f >= 0.8 || tone === 'praise') return pick(ACK_LINES.praise[lang], n);
      return pick(ACK_LINES.neutral[lang], n);
    }
  }
  return pick(ACK_LINES[tone][lang], n);
}

/** thanks for an elaboration, fitted to what it said */
export function thanksForDetail(text: string, lang: WidgetLang, n: number): string {
  return pick(DETAIL_THANKS[toneOf(text)][lang], n);
}

/** a prompt that starts "Thanks! ..." or "Sorry we ..." needs no acknowledgement in front */
export function opensWithAck(prompt: string): boolean {
  return /^(thanks|thank you|great|wonderful|sorry|got it|noted|fair enough|perfect|ok|okay|nice|lovely|understood)\b/i.test(prompt.trim());
}

function scaleHint(q: Question): string {
  switch (q.type) {
    case 'nps':
      return `Pick a number from 0 (${q.lowLabel ?? 'not at all likely'}) to 10 (${q.highLabel ?? 'extremely likely'}).`;
    case 'csat':
      return 'Pick a number from 1 (very dissatisfied) to 5 (very satisfied).';
    case 'ces':
      return 'Pick a number from 1 (very difficult) to 7 (very easy).';
    case 'stars':
      return `Give it 1 to ${q.max} stars.`;
    case 'single':
      return `Pick one: ${q.choices.map((c) => c.label).join(', ')}.`;
    case 'multiple':
      return `Pick ${q.max !== undefined ? `up to ${q.max}` : 'any'} that apply${q.min > 1 ? ` (at least ${q.min})` : ''}: ${q.choices.map((c) => c.label).join(', ')}.`;
    case 'yes_no':
      return 'A simple yes or no is fine.';
    case 'text':
      return 'Just type your answer in your own words.';
  }
}

export function askAgain(q: Question): string {
  return `Sorry, I didn’t quite catch that. ${scaleHint(q)}${q.optional ? ' You can also skip this one.' : ''}`;
}

export function cannotSkip(q: Question): string {
  return `This one matters a lot to us, so I can’t skip it. ${scaleHint(q)}`;
}

function scaleWords(q: Question, value: number): string {
  const scale = scaleOf(q);
  if (!scale) return String(value);
  return q.type === 'stars' ? `${value} out of ${scale[1]} stars` : `${value} out of ${scale[1]}`;
}

export function confirmReading(q: Question, value: AnswerValue): string {
  if (typeof value === 'number') return `Just to check: would you put that at ${scaleWords(q, value)}?`;
  if (typeof value === 'boolean') return `Just to check: is that a ${value ? 'yes' : 'no'}?`;
  const labels = (Array.isArray(value) ? value : [String(value)]).map(
    (v) => (q.type === 'single' || q.type === 'multiple' ? q.choices.find((c) => c.value === v)?.label : undefined) ?? v,
  );
  return `Just to check: you mean ${labels.join(' and ')}?`;
}

export function askToCorrect(q: Question): string {
  return `No problem. ${scaleHint(q)}`;
}

const PROBES = {
  negative: {
    en: ['I’m sorry to hear that. What happened, exactly?', 'Sorry about that. What was the biggest problem?'],
    de: ['Das tut mir leid. Was ist genau passiert?', 'Das ist ärgerlich. Was war das größte Problem?'],
    fr: ['Je suis désolé. Que s’est-il passé exactement ?', 'Désolé pour cela. Quel a été le plus gros problème ?'],
    es: ['Lo siento mucho. ¿Qué pasó exactamente?', 'Disculpe. ¿Cuál fue el mayor problema?'],
  },
  vague: {
    en: ['Could you tell me a bit more? What stood out for you?', 'What in particular makes you say that?'],
    de: ['Können Sie etwas mehr erzählen? Was ist Ihnen aufgefallen?', 'Was genau bringt Sie zu dieser Einschätzung?'],
    fr: ['Pouvez-vous m’en dire un peu plus ? Qu’est-ce qui vous a marqué ?', 'Qu’est-ce qui vous fait dire cela en particulier ?'],
    es: ['¿Podría contarme un poco más? ¿Qué le llamó la atención?', '¿Qué le hace decir eso en concreto?'],
  },
  short: {
    en: ['Could you say a little more about that?', 'Would you mind adding a bit more detail?'],
    de: ['Können Sie dazu noch etwas mehr sagen?', 'Mögen Sie noch ein paar Details ergänzen?'],
    fr: ['Pourriez-vous en dire un peu plus ?', 'Pouvez-vous ajouter quelques détails ?'],
    es: ['¿Podría decir algo más al respecto?', '¿Le importaría añadir algún detalle más?'],
  },
} as const satisfies Record<ProbeReason, Localised>;

export function probe(reason: ProbeReason, fixed: string | undefined, n: number, lang: WidgetLang = 'en'): string {
  if (fixed) return fixed;
  return pick(PROBES[reason][lang], n);
}

const CLOSING = {
  stopped: {
    en: ['No problem, I’ll stop here. I’ve saved the answers you gave. Thanks for your time!'],
    de: ['Kein Problem, ich höre hier auf. Ihre bisherigen Antworten sind gespeichert. Danke für Ihre Zeit!'],
    fr: ['Pas de souci, je m’arrête ici. Vos réponses sont enregistrées. Merci pour votre temps !'],
    es: ['No pasa nada, lo dejamos aquí. Hemos guardado sus respuestas. ¡Gracias por su tiempo!'],
  },
  finished: {
    en: ['This survey is already finished. Thanks again for taking part!'],
    de: ['Diese Umfrage ist bereits beendet. Nochmals danke fürs Mitmachen!'],
    fr: ['Ce questionnaire est déjà terminé. Merci encore de votre participation !'],
    es: ['Esta encuesta ya ha terminado. ¡Gracias de nuevo por participar!'],
  },
} as const satisfies Record<string, Localised>;

export const stoppedIn = (lang: WidgetLang): string => pick(CLOSING.stopped[lang], 0);
export const finishedIn = (lang: WidgetLang): string => pick(CLOSING.finished[lang], 0);

const HUMAN_REQUESTED: Localised = {
  en: ['I’ve let our team know you’d like to talk to a person; they’ll reply right here. In the meantime:'],
  de: ['Ich habe unserem Team Bescheid gegeben, dass Sie mit einer Person sprechen möchten; die Antwort kommt hier. In der Zwischenzeit:'],
  fr: ['J’ai prévenu notre équipe que vous souhaitez parler à une personne ; elle vous répondra ici. En attendant :'],
  es: ['He avisado a nuestro equipo de que quiere hablar con una persona; le responderán aquí. Mientras tanto:'],
};

/** said when a visitor asks for a person in the middle of a survey, before the question again */
export const humanRequestedIn = (lang: WidgetLang): string => pick(HUMAN_REQUESTED[lang], 0);
