/**
 * The support bot's own words offline, in the widget's four languages. The flow's texts (intro,
 * rating question) and the articles are the site's data and stay as written; everything the bot
 * says around them follows the visitor's language. Some lines have variants, picked by the turn
 * number, so a transcript replays identically but the bot does not repeat itself word for word.
 */
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';

type Lines = Readonly<Record<WidgetLang, string | readonly string[]>>;

const pick = (v: string | readonly string[], n: number): string => (typeof v === 'string' ? v : (v[Math.abs(n) % v.length] ?? v[0] ?? ''));

export const SUPPORT_LINES = {
  foundLead: {
    en: ['Here’s what I found about “{title}”:', 'This should help (“{title}”):'],
    de: ['Das habe ich zu „{title}“ gefunden:', 'Das sollte helfen („{title}“):'],
    fr: ['Voici ce que j’ai trouvé sur « {title} » :', 'Ceci devrait vous aider (« {title} ») :'],
    es: ['Esto es lo que encontré sobre «{title}»:', 'Esto debería ayudarle («{title}»):'],
  },
  dontKnowOffer: {
    en: ['I’m sorry, I don’t know the answer to that. Would you like me to connect you with a person from our team?', 'I’m afraid I don’t know that one. Shall I bring in a person from our team?'],
    de: ['Das weiß ich leider nicht. Soll ich Sie mit einer Person aus unserem Team verbinden?', 'Darauf habe ich leider keine Antwort. Möchten Sie, dass jemand aus unserem Team übernimmt?'],
    fr: ['Désolé, je ne connais pas la réponse. Voulez-vous que je vous mette en relation avec une personne de notre équipe ?', 'Je n’ai malheureusement pas de réponse à cela. Voulez-vous parler à une personne de notre équipe ?'],
    es: ['Lo siento, no sé la respuesta. ¿Quiere que le ponga en contacto con una persona de nuestro equipo?', 'Me temo que no tengo respuesta para eso. ¿Le paso con una persona de nuestro equipo?'],
  },
  dontKnowHandedOff: {
    en: 'I’m sorry, I don’t know the answer to that. A person from our team has been asked to join and will reply here.',
    de: 'Das weiß ich leider nicht. Eine Person aus unserem Team ist schon informiert und antwortet hier.',
    fr: 'Désolé, je ne connais pas la réponse. Une personne de notre équipe a été prévenue et vous répondra ici.',
    es: 'Lo siento, no sé la respuesta. Ya hemos avisado a una persona de nuestro equipo, que le responderá aquí.',
  },
  dontKnowRephrase: {
    en: 'I’m sorry, I don’t know the answer to that. Could you try asking it another way?',
    de: 'Das weiß ich leider nicht. Können Sie die Frage anders formulieren?',
    fr: 'Désolé, je ne connais pas la réponse. Pourriez-vous reformuler votre question ?',
    es: 'Lo siento, no sé la respuesta. ¿Podría preguntarlo de otra manera?',
  },
  yesPlease: { en: 'Yes, please', de: 'Ja, bitte', fr: 'Oui, s’il vous plaît', es: 'Sí, por favor' },
  noThanks: { en: 'No, thanks', de: 'Nein, danke', fr: 'Non, merci', es: 'No, gracias' },
  solvedButton: { en: 'That solved it', de: 'Das hat geholfen', fr: 'C’est réglé', es: 'Resuelto' },
  anotherButton: { en: 'I have another question', de: 'Ich habe noch eine Frage', fr: 'J’ai une autre question', es: 'Tengo otra pregunta' },
  humanButton: { en: 'Talk to a person', de: 'Mit einer Person sprechen', fr: 'Parler à une personne', es: 'Hablar con una persona' },
  handoffDisabled: {
    en: 'I’m sorry, nobody from the team can join this chat. I’ll do my best to help: what would you like to know?',
    de: 'Leider kann niemand aus dem Team diesem Chat beitreten. Ich helfe gern so gut ich kann: Was möchten Sie wissen?',
    fr: 'Désolé, personne de l’équipe ne peut rejoindre ce chat. Je fais de mon mieux pour vous aider : que voulez-vous savoir ?',
    es: 'Lo siento, nadie del equipo puede unirse a este chat. Haré lo posible por ayudarle: ¿qué quiere saber?',
  },
  handoffAgain: {
    en: 'I’ve already asked the team to join. Someone will reply right here as soon as they can.',
    de: 'Ich habe das Team bereits gebeten dazuzukommen. Jemand antwortet hier, sobald es geht.',
    fr: 'J’ai déjà prévenu l’équipe. Quelqu’un vous répondra ici dès que possible.',
    es: 'Ya he avisado al equipo. Alguien le responderá aquí lo antes posible.',
  },
  handoffDone: {
    en: 'I’ve asked a person from our team to join this chat. They’ll reply right here as soon as they can, and you can keep writing in the meantime.',
    de: 'Ich habe eine Person aus unserem Team gebeten, dem Chat beizutreten. Sie antwortet hier, sobald sie kann; Sie können in der Zwischenzeit gern weiterschreiben.',
    fr: 'J’ai demandé à une personne de notre équipe de rejoindre ce chat. Elle vous répondra ici dès que possible ; vous pouvez continuer à écrire en attendant.',
    es: 'He pedido a una persona de nuestro equipo que se una a este chat. Le responderá aquí lo antes posible; mientras tanto, puede seguir escribiendo.',
  },
  solvedLead: {
    en: ['Glad I could help.', 'Great, happy that helped.'],
    de: ['Schön, dass ich helfen konnte.', 'Freut mich, dass das geholfen hat.'],
    fr: ['Ravi d’avoir pu vous aider.', 'Parfait, content que cela vous ait aidé.'],
    es: ['Me alegro de haber podido ayudar.', 'Genial, me alegro de que le haya servido.'],
  },
  closeLead: {
    en: 'Thanks for chatting with us.',
    de: 'Danke für Ihre Nachricht.',
    fr: 'Merci d’avoir échangé avec nous.',
    es: 'Gracias por escribirnos.',
  },
  notSolved: {
    en: ['I’m sorry I couldn’t answer that one. Is there anything else I can help with?', 'Sorry I couldn’t help with that. Anything else I can do for you?'],
    de: ['Tut mir leid, dass ich das nicht beantworten konnte. Kann ich Ihnen sonst noch helfen?', 'Schade, dass ich da nicht helfen konnte. Kann ich sonst etwas für Sie tun?'],
    fr: ['Désolé de ne pas avoir pu répondre à cela. Puis-je vous aider pour autre chose ?', 'Dommage de ne pas avoir pu vous aider sur ce point. Autre chose ?'],
    es: ['Siento no haber podido responder a eso. ¿Puedo ayudarle con algo más?', 'Lamento no haber podido ayudarle con eso. ¿Algo más?'],
  },
  ratingLow: {
    en: 'Thank you for telling us. We’ll use it to do better. Take care!',
    de: 'Danke für Ihre ehrliche Rückmeldung. Wir nutzen sie, um besser zu werden. Alles Gute!',
    fr: 'Merci de nous l’avoir dit. Nous nous en servirons pour nous améliorer. Bonne journée !',
    es: 'Gracias por decírnoslo. Lo usaremos para mejorar. ¡Que le vaya bien!',
  },
  ratingHigh: {
    en: 'Thank you for your feedback, and have a great day!',
    de: 'Vielen Dank für Ihre Bewertung und einen schönen Tag!',
    fr: 'Merci pour votre avis, et bonne journée !',
    es: '¡Gracias por su opinión y que tenga un buen día!',
  },
  ratingRetry: {
    en: 'Sorry, I didn’t catch that. Please pick a number from 1 (very dissatisfied) to 5 (very satisfied), or skip.',
    de: 'Entschuldigung, das habe ich nicht verstanden. Bitte wählen Sie eine Zahl von 1 (sehr unzufrieden) bis 5 (sehr zufrieden) oder überspringen Sie.',
    fr: 'Désolé, je n’ai pas compris. Choisissez un chiffre de 1 (très insatisfait) à 5 (très satisfait), ou passez.',
    es: 'Perdón, no lo he entendido. Elija un número del 1 (muy insatisfecho) al 5 (muy satisfecho), o sáltelo.',
  },
  ratingSkipped: {
    en: 'No problem. Thanks for chatting with us, and have a great day!',
    de: 'Kein Problem. Danke für den Chat und einen schönen Tag!',
    fr: 'Pas de souci. Merci pour cet échange, et bonne journée !',
    es: 'No pasa nada. Gracias por escribirnos, ¡que tenga un buen día!',
  },
  offerDeclined: {
    en: 'Alright. Is there anything else I can help you with?',
    de: 'In Ordnung. Kann ich Ihnen sonst noch helfen?',
    fr: 'D’accord. Puis-je vous aider pour autre chose ?',
    es: 'De acuerdo. ¿Puedo ayudarle con algo más?',
  },
  another: {
    en: ['Sure, what else would you like to know?', 'Of course. What’s your next question?'],
    de: ['Gern, was möchten Sie noch wissen?', 'Natürlich. Was ist Ihre nächste Frage?'],
    fr: ['Bien sûr, que voulez-vous savoir d’autre ?', 'Avec plaisir. Quelle est votre question ?'],
    es: ['Claro, ¿qué más quiere saber?', 'Por supuesto. ¿Cuál es su siguiente pregunta?'],
  },
  greeting: {
    en: 'Hi! What can I help you with today?',
    de: 'Hallo! Wobei kann ich Ihnen helfen?',
    fr: 'Bonjour ! Comment puis-je vous aider ?',
    es: '¡Hola! ¿En qué puedo ayudarle?',
  },
  ended: {
    en: 'This chat has ended. Start a new one any time if you need more help.',
    de: 'Dieser Chat ist beendet. Starten Sie gern jederzeit einen neuen, wenn Sie Hilfe brauchen.',
    fr: 'Cette conversation est terminée. Vous pouvez en commencer une nouvelle à tout moment.',
    es: 'Este chat ha terminado. Puede iniciar uno nuevo cuando lo necesite.',
  },
} as const satisfies Record<string, Lines>;

export type SupportLine = keyof typeof SUPPORT_LINES;

/** a support line in `lang`, with {placeholders} filled in */
export function supportLine(key: SupportLine, lang: WidgetLang, n = 0, vars: Readonly<Record<string, string>> = {}): string {
  const lines: Lines = SUPPORT_LINES[key];
  return pick(lines[lang], n).replace(/\{(\w+)\}/g, (_, name: string) => (Object.hasOwn(vars, name) ? (vars[name] ?? '') : ''));
}
