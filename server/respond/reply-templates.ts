/**
 * Offline reply drafts: a short, warm reply in the customer's language, filled from the
 * extraction: their name, what it was about, what went wrong (in their own words), what they
 * expected, and what happens next (a call, an e-mail, or a reply right here).
 */
import type { Expectation } from '../../shared/extraction.ts';
import type { ReplyLang } from '../../shared/reach.ts';

export interface TemplateFacts {
  name: string | null;
  /** a topic name from the site's taxonomy, when no expectation says more */
  topic: string | null;
  /** the unmet (else unknown) expectation, in the customer's words */
  expectation: Pick<Expectation, 'kind' | 'text' | 'status'> | null;
  /** how the customer asked to be reached */
  phone: string | null;
  email: string | null;
  /** a rating at the low end, or a negative conversation */
  unhappy: boolean;
  agentName: string;
  siteName: string;
}

type Kind = Expectation['kind'];

interface Lang {
  hello(name: string | null): string;
  thanks(about: string | null): string;
  sorry: string;
  youWrote(text: string): string;
  expected: ReadonlyMap<Kind, string>;
  fair(expected: string): string;
  call(phone: string): string;
  write(email: string): string;
  here: string;
  bye(agent: string, site: string): string;
  about: ReadonlyMap<Kind, string>;
}

const quote = (open: string, close: string) => (text: string) => {
  const t = text.trim().replace(/\s+/g, ' ');
  return `${open}${t.length > 280 ? `${t.slice(0, 279)}…` : t}${close}${/[.!?…]$/.test(t) ? '' : '.'}`;
};

const LANGS: ReadonlyMap<ReplyLang, Lang> = new Map<ReplyLang, Lang>([
  ['en', {
    hello: (n) => (n ? `Hi ${n},` : 'Hello,'),
    thanks: (a) => `thank you for taking the time to tell us about ${a ?? 'your experience'}.`,
    sorry: 'I am sorry we let you down.',
    youWrote: (t) => `You wrote: ${quote('“', '”')(t)}`,
    expected: new Map<Kind, string>([
      ['delivery', 'your order to arrive when we said it would'],
      ['feature', 'the product to do what you needed'],
      ['price', 'a fair and clear price'],
      ['response_time', 'a quick answer from us'],
      ['quality', 'the quality you paid for'],
      ['other', 'better from us'],
    ]),
    fair: (e) => `You expected ${e}, and that was a fair expectation that we did not meet.`,
    call: (p) => `A colleague will call you at ${p} within one business day to put this right.`,
    write: (m) => `We are looking into it now and will write to you at ${m} within one business day.`,
    here: 'We are looking into it now and will get back to you right here within one business day.',
    bye: (a, s) => `Kind regards,\n${a}${s ? `\n${s}` : ''}`,
    about: new Map<Kind, string>([
      ['delivery', 'your delivery'], ['feature', 'what you were missing'], ['price', 'our prices'],
      ['response_time', 'waiting for an answer'], ['quality', 'the quality'], ['other', 'your experience'],
    ]),
  }],
  ['de', {
    hello: (n) => (n ? `Hallo ${n},` : 'Guten Tag,'),
    thanks: (a) => `vielen Dank, dass Sie sich die Zeit genommen haben, uns von ${a ?? 'Ihrer Erfahrung'} zu erzählen.`,
    sorry: 'Es tut mir leid, dass wir Sie enttäuscht haben.',
    youWrote: (t) => `Sie schrieben: ${quote('„', '“')(t)}`,
    expected: new Map<Kind, string>([
      ['delivery', 'dass Ihre Bestellung pünktlich ankommt'],
      ['feature', 'dass das Produkt kann, was Sie brauchen'],
      ['price', 'einen fairen und klaren Preis'],
      ['response_time', 'eine schnelle Antwort von uns'],
      ['quality', 'die Qualität, für die Sie bezahlt haben'],
      ['other', 'mehr von uns'],
    ]),
    fair: (e) => `Sie haben ${e} erwartet – zu Recht, und wir haben das nicht erfüllt.`,
    call: (p) => `Eine Kollegin oder ein Kollege ruft Sie innerhalb eines Werktags unter ${p} an, um das zu klären.`,
    write: (m) => `Wir kümmern uns jetzt darum und schreiben Ihnen innerhalb eines Werktags an ${m}.`,
    here: 'Wir kümmern uns jetzt darum und melden uns innerhalb eines Werktags hier bei Ihnen.',
    bye: (a, s) => `Freundliche Grüße\n${a}${s ? `\n${s}` : ''}`,
    about: new Map<Kind, string>([
      ['delivery', 'Ihrer Lieferung'], ['feature', 'dem, was Ihnen fehlt'], ['price', 'unseren Preisen'],
      ['response_time', 'der Wartezeit auf eine Antwort'], ['quality', 'der Qualität'], ['other', 'Ihrer Erfahrung'],
    ]),
  }],
  ['fr', {
    hello: (n) => (n ? `Bonjour ${n},` : 'Bonjour,'),
    thanks: (a) => `merci d’avoir pris le temps de nous parler de ${a ?? 'votre expérience'}.`,
    sorry: 'Je suis désolé(e) de vous avoir déçu(e).',
    youWrote: (t) => `Vous nous avez écrit : ${quote('« ', ' »')(t)}`,
    expected: new Map<Kind, string>([
      ['delivery', 'que votre commande arrive à la date promise'],
      ['feature', 'que le produit fasse ce dont vous aviez besoin'],
      ['price', 'un prix juste et clair'],
      ['response_time', 'une réponse rapide de notre part'],
      ['quality', 'la qualité pour laquelle vous avez payé'],
      ['other', 'mieux de notre part'],
    ]),
    fair: (e) => `Vous attendiez ${e}, une attente légitime que nous n’avons pas satisfaite.`,
    call: (p) => `Un(e) collègue vous appellera au ${p} sous un jour ouvré pour régler cela.`,
    write: (m) => `Nous examinons la situation et vous écrirons à ${m} sous un jour ouvré.`,
    here: 'Nous examinons la situation et vous répondrons ici même sous un jour ouvré.',
    bye: (a, s) => `Bien cordialement,\n${a}${s ? `\n${s}` : ''}`,
    about: new Map<Kind, string>([
      ['delivery', 'votre livraison'], ['feature', 'ce qui vous manque'], ['price', 'nos prix'],
      ['response_time', 'l’attente d’une réponse'], ['quality', 'la qualité'], ['other', 'votre expérience'],
    ]),
  }],
  ['es', {
    hello: (n) => (n ? `Hola, ${n}:` : 'Hola:'),
    thanks: (a) => `gracias por tomarse el tiempo de contarnos sobre ${a ?? 'su experiencia'}.`,
    sorry: 'Siento mucho haberle fallado.',
    youWrote: (t) => `Nos escribió: ${quote('«', '»')(t)}`,
    expected: new Map<Kind, string>([
      ['delivery', 'que su pedido llegara en la fecha prometida'],
      ['feature', 'que el producto hiciera lo que necesitaba'],
      ['price', 'un precio justo y claro'],
      ['response_time', 'una respuesta rápida de nuestra parte'],
      ['quality', 'la calidad por la que pagó'],
      ['other', 'algo mejor de nuestra parte'],
    ]),
    fair: (e) => `Usted esperaba ${e}, una expectativa razonable que no cumplimos.`,
    call: (p) => `Un compañero le llamará al ${p} en un día laborable para solucionarlo.`,
    write: (m) => `Ya lo estamos revisando y le escribiremos a ${m} en un día laborable.`,
    here: 'Ya lo estamos revisando y le responderemos aquí mismo en un día laborable.',
    bye: (a, s) => `Un saludo cordial,\n${a}${s ? `\n${s}` : ''}`,
    about: new Map<Kind, string>([
      ['delivery', 'su entrega'], ['feature', 'lo que echa en falta'], ['price', 'nuestros precios'],
      ['response_time', 'la espera de una respuesta'], ['quality', 'la calidad'], ['other', 'su experiencia'],
    ]),
  }],
]);

export function templateReply(lang: ReplyLang, f: TemplateFacts): string {
  const L = LANGS.get(lang) ?? LANGS.get('en')!;
  const kind = f.expectation?.kind ?? null;
  const about = kind && kind !== 'other' ? L.about.get(kind)! : f.topic;
  const lines: string[] = [L.hello(f.name), '', L.thanks(about)];
  const middle: string[] = [];
  if (f.unhappy || f.expectation?.status === 'unmet') middle.push(L.sorry);
  if (f.expectation?.text) middle.push(L.youWrote(f.expectation.text));
  if (f.expectation?.status === 'unmet' && kind) middle.push(L.fair(L.expected.get(kind)!));
  if (middle.length) lines.push('', middle.join(' '));
  lines.push('', f.phone ? L.call(f.phone) : f.email ? L.write(f.email) : L.here, '', L.bye(f.agentName, f.siteName));
  return lines.join('\n');
}
