/** What the built-in playbooks say, in the customer's language. */
import type { z } from 'zod';
import type { SurveyFlow } from '../../shared/flow.ts';
import type { ReplyLang } from '../../shared/reach.ts';

interface Texts {
  thanks(name: string | null, site: string): string;
  review(url: string): string;
  resolved(name: string | null): string;
  recheckName: string;
  recheckIntro: string;
  recheckQuestion: string;
  recheckWhy: string;
  recheckOutro: string;
}

const TEXTS: ReadonlyMap<ReplyLang, Texts> = new Map<ReplyLang, Texts>([
  ['en', {
    thanks: (n, s) => `${n ? `Thank you, ${n}` : 'Thank you'} for the kind words! It means a lot to everyone at ${s || 'our team'}.`,
    review: (u) => `If you have a minute, a short public review would help others find us: ${u}`,
    resolved: (n) => `${n ? `Hi ${n}, good news` : 'Good news'}: the matter you told us about has been resolved. If anything is still not right, start a new conversation here and tell us.`,
    recheckName: 'Check-in after a low score',
    recheckIntro: 'Hi again! A few days ago you told us things were not going well.',
    recheckQuestion: 'Has it got better since then? (1 = not at all, 5 = completely sorted)',
    recheckWhy: 'Thanks. Anything we should still know?',
    recheckOutro: 'Thank you for letting us know. Our team reads every answer.',
  }],
  ['de', {
    thanks: (n, s) => `${n ? `Danke, ${n},` : 'Danke'} für die freundlichen Worte! Das freut alle bei ${s || 'uns'} sehr.`,
    review: (u) => `Wenn Sie eine Minute haben, hilft eine kurze öffentliche Bewertung anderen, uns zu finden: ${u}`,
    resolved: (n) => `${n ? `Hallo ${n}, gute Nachricht` : 'Gute Nachricht'}: Ihr Anliegen ist erledigt. Falls noch etwas nicht stimmt, beginnen Sie hier einfach ein neues Gespräch.`,
    recheckName: 'Nachfrage nach einer schlechten Bewertung',
    recheckIntro: 'Hallo noch einmal! Vor ein paar Tagen haben Sie uns gesagt, dass etwas nicht gut lief.',
    recheckQuestion: 'Ist es seitdem besser geworden? (1 = gar nicht, 5 = völlig erledigt)',
    recheckWhy: 'Danke. Sollten wir noch etwas wissen?',
    recheckOutro: 'Danke für Ihre Rückmeldung. Unser Team liest jede Antwort.',
  }],
  ['fr', {
    thanks: (n, s) => `${n ? `Merci, ${n},` : 'Merci'} pour ces mots aimables ! Toute l’équipe ${s || ''} y est très sensible.`.replace('  ', ' '),
    review: (u) => `Si vous avez une minute, un court avis public aiderait d’autres personnes à nous trouver : ${u}`,
    resolved: (n) => `${n ? `Bonjour ${n}, bonne nouvelle` : 'Bonne nouvelle'} : le problème que vous nous avez signalé est résolu. Si quelque chose ne va toujours pas, ouvrez simplement une nouvelle conversation ici.`,
    recheckName: 'Suivi après une mauvaise note',
    recheckIntro: 'Re-bonjour ! Il y a quelques jours, vous nous avez dit que les choses n’allaient pas bien.',
    recheckQuestion: 'Est-ce que cela s’est amélioré depuis ? (1 = pas du tout, 5 = entièrement réglé)',
    recheckWhy: 'Merci. Y a-t-il autre chose que nous devrions savoir ?',
    recheckOutro: 'Merci de votre retour. Notre équipe lit chaque réponse.',
  }],
  ['es', {
    thanks: (n, s) => `${n ? `¡Gracias, ${n},` : '¡Gracias'} por sus amables palabras! Significa mucho para todo el equipo de ${s || 'nuestra tienda'}.`,
    review: (u) => `Si tiene un minuto, una breve reseña pública ayudaría a otros a encontrarnos: ${u}`,
    resolved: (n) => `${n ? `Hola, ${n}. Buenas noticias` : 'Buenas noticias'}: el asunto que nos comentó está resuelto. Si algo sigue sin estar bien, inicie aquí una nueva conversación.`,
    recheckName: 'Seguimiento tras una mala puntuación',
    recheckIntro: '¡Hola de nuevo! Hace unos días nos dijo que las cosas no iban bien.',
    recheckQuestion: '¿Ha mejorado desde entonces? (1 = nada, 5 = totalmente resuelto)',
    recheckWhy: 'Gracias. ¿Hay algo más que debamos saber?',
    recheckOutro: 'Gracias por contárnoslo. Nuestro equipo lee cada respuesta.',
  }],
]);

export const texts = (lang: ReplyLang): Texts => TEXTS.get(lang) ?? TEXTS.get('en')!;

export const RECHECK_QUESTION_ID = 'better';
export const recheckFlowId = (lang: ReplyLang) => `parley-recheck-${lang}`;

/** the short CSAT the detractor check-in runs in the widget */
export function recheckFlow(lang: ReplyLang): z.input<typeof SurveyFlow> {
  const t = texts(lang);
  return {
    id: recheckFlowId(lang),
    kind: 'survey',
    name: t.recheckName,
    intro: t.recheckIntro,
    questions: [
      { id: RECHECK_QUESTION_ID, type: 'csat', prompt: t.recheckQuestion },
      { id: 'anything_else', type: 'text', prompt: t.recheckWhy, optional: true },
    ],
    outro: t.recheckOutro,
  };
}
