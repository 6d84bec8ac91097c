import { describe, expect, it } from 'vitest';
import { demandsRefund, findIntents, type Intent } from './intents.ts';
import type { Lang } from './tokens.ts';

const has = (text: string, lang: Lang, intent: Intent) => findIntents(text, lang).has(intent);

describe('follow-up intents in four languages', () => {
  const cases: [Lang, Intent, string][] = [
    ['en', 'callback', 'Can someone call me back this afternoon?'],
    ['de', 'callback', 'Bitte rufen Sie mich zurück, danke.'],
    ['de', 'callback', 'Ruft mich bitte an.'],
    ['fr', 'callback', 'Merci de me rappeler demain matin.'],
    ['es', 'callback', 'Llámenme cuando puedan.'],
    ['en', 'refund', 'I just want my money back.'],
    ['de', 'refund', 'Ich warte immer noch auf die Rückerstattung.'],
    ['fr', 'refund', 'Je veux être remboursé.'],
    ['es', 'refund', 'Quiero un reembolso ya.'],
    ['en', 'cancel', 'Please cancel my order.'],
    ['de', 'cancel', 'Ich möchte mein Abo kündigen.'],
    ['fr', 'cancel', 'Je veux résilier mon abonnement.'],
    ['es', 'cancel', 'Quiero darme de baja.'],
    ['en', 'problem', 'The lamp arrived broken.'],
    ['de', 'problem', 'Die Lampe ist kaputt angekommen.'],
    ['fr', 'problem', 'La lampe est arrivée cassée.'],
    ['es', 'problem', 'La lámpara llegó rota.'],
    ['en', 'legal', 'I will take you to court over this.'],
    ['de', 'legal', 'Ich schalte meinen Anwalt ein.'],
    ['fr', 'legal', 'Je vais porter plainte.'],
    ['es', 'legal', 'Voy a denunciarlos.'],
    ['en', 'chargeback', 'I am filing a chargeback.'],
    ['de', 'chargeback', 'Ich lasse die Zahlung zurückbuchen.'],
    ['fr', 'chargeback', 'Je vais faire opposition sur ma carte.'],
    ['es', 'chargeback', 'Voy a pedir un contracargo.'],
    ['en', 'safety', 'My son had an allergic reaction.'],
    ['de', 'safety', 'Das Gerät ist gefährlich, ich habe mich verletzt.'],
    ['fr', 'safety', "Le chargeur a pris feu."],
    ['es', 'safety', 'Casi provoca un incendio.'],
    ['en', 'data_breach', 'My account was hacked.'],
    ['de', 'data_breach', 'Gab es ein Datenleck?'],
    ['fr', 'data_breach', 'Il y a eu une fuite de données.'],
    ['es', 'data_breach', 'Hubo una filtración de datos.'],
    ['en', 'urgent', 'Please sort this out ASAP.'],
    ['de', 'urgent', 'Es ist dringend.'],
    ['fr', 'urgent', "C'est urgent."],
    ['es', 'urgent', 'Es urgente.'],
  ];
  for (const [lang, intent, text] of cases) {
    it(`${lang} ${intent}: "${text}"`, () => expect(findIntents(text, lang)).toContain(intent));
  }

  it('does not fire alarm words inside harmless words or harmless mentions', () => {
    const harmless: [Lang, string][] = [
      ['en', 'I will pursue other options, and the scampi was surefire good.'],
      ['en', 'The courtyard delivery spot is fine; the fire alarm test went off during the call.'],
      ['en', 'The firewall settings page is fine and our suet arrived.'],
      ['de', 'Wir wohnen in Brandenburg, die Lieferung kam pünktlich.'],
      ['fr', 'Le tribunal de commerce est à côté de chez moi, livraison parfaite.'],
      ['es', 'Hay mucha demanda de este modelo, ¿cuándo vuelve?'],
    ];
    for (const [lang, text] of harmless) {
      const found = findIntents(text, lang);
      for (const critical of ['legal', 'chargeback', 'safety', 'data_breach', 'fraud'] as const) {
        if (lang === 'fr' && critical === 'legal') continue; // "tribunal" alone is a legal word in French
        expect(found.has(critical), `${text} -> ${critical}`).toBe(false);
      }
    }
  });

  it('reads the conversation language first, so German "Gift"/"Bad" are not English words here', () => {
    expect(findIntents('Das Gift für den Garten wirkt nicht, das Bad ist hell.', 'de').size).toBe(0);
    expect(has('Das Gift hat nicht gewirkt', 'de', 'safety')).toBe(false);
  });

  it('tells a refund demand from thanks for a refund, in four languages', () => {
    expect(demandsRefund('I still have not got my refund.', 'en')).toBe(true);
    expect(demandsRefund('Thank you so much for the quick refund!', 'en')).toBe(false);
    expect(demandsRefund('Ich möchte mein Geld zurück.', 'de')).toBe(true);
    expect(demandsRefund('Danke für die schnelle Rückerstattung.', 'de')).toBe(false);
    expect(demandsRefund('Je voudrais un remboursement.', 'fr')).toBe(true);
    expect(demandsRefund('Merci pour le remboursement rapide.', 'fr')).toBe(false);
    expect(demandsRefund('Quiero un reembolso.', 'es')).toBe(true);
    expect(demandsRefund('Gracias por el reembolso.', 'es')).toBe(false);
  });
});
