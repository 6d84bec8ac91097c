import { describe, expect, it } from 'vitest';
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import { loadKbDir } from './example-kb.ts';
import { isElliptical, retrieve } from './kb-retrieval.ts';
import { createKnowledgeBase } from './knowledge-base.ts';

const kb = createKnowledgeBase(() => loadKbDir());
const answer = (q: string, lang: WidgetLang) => retrieve(kb, 'site-1', q, lang, null).answer?.entry.id ?? null;

describe('support retrieval: the right article in four languages (stems, aliases, glossary)', () => {
  it.each<[WidgetLang, string, string]>([
    ['en', 'How many days does shipping take to Spain?', 'shipping'],
    ['en', 'I returned the shoes last week, when do I get my money back?', 'refunds'],
    ['en', 'pasword reset email not coming through', 'password-reset'],
    ['de', 'Wie hoch sind die Versandkosten?', 'shipping'],
    ['de', 'Mein Paket ist noch nicht angekommen', 'order-tracking'],
    ['de', 'Ich möchte einen Pullover zurückschicken', 'returns'],
    ['fr', 'Je n’ai pas reçu mon colis', 'order-tracking'],
    ['fr', 'Comment utiliser ma carte cadeau ?', 'gift-cards'],
    ['fr', 'Puis-je payer avec Klarna en plusieurs fois ?', 'payment-methods'],
    ['es', 'He olvidado mi contraseña', 'password-reset'],
    ['es', '¿Cuál es el horario de atención al cliente?', 'opening-hours'],
    ['es', 'Quiero cancelar mi pedido', 'cancel-order'],
  ])('%s: "%s" -> %s', (lang, q, id) => {
    expect(answer(q, lang)).toBe(id);
  });
});

describe('support retrieval: an honest "don\'t know" for near-misses and uncovered questions', () => {
  it.each<[WidgetLang, string]>([
    ['en', 'Do you give a discount to pensioners?'],
    ['en', 'How do I delete my account for good?'],
    ['en', 'You charged my card twice'],
    ['en', 'what is the airspeed velocity of an unladen swallow'],
    ['de', 'Gibt es Rabatt für Schüler?'],
    ['de', 'Wie kann ich mein Konto löschen?'],
    ['fr', 'Avez-vous une réduction pour les enseignants ?'],
    ['fr', 'On m’a prélevé deux fois'],
    ['es', '¿Hay descuento para profesores?'],
    ['es', '¿Cómo borro mi cuenta?'],
  ])('%s: "%s" -> no article', (lang, q) => {
    expect(answer(q, lang)).toBeNull();
  });

  it('still lists the best passages for a near-miss, for a model to judge', () => {
    const r = retrieve(kb, 'site-1', 'Do you give a discount to pensioners?', 'en', null);
    expect(r.answer).toBeNull();
    expect(r.hits[0]?.entry.id).toBe('gift-cards');
  });
});

describe('support retrieval: follow-up questions lean on the previous one', () => {
  it.each<[WidgetLang, string, string, string]>([
    ['en', 'How much does delivery to France cost?', 'and to Japan?', 'shipping'],
    ['de', 'Wie lange dauert der Versand nach Italien?', 'und nach Japan?', 'shipping'],
    ['fr', 'Combien coûte la livraison en Italie ?', 'et pour le Japon ?', 'shipping'],
    ['es', '¿Cuánto cuesta el envío a Italia?', '¿y a Japón?', 'shipping'],
    ['en', 'can I pay with PayPal?', 'and Alipay?', 'payment-methods'],
  ])('%s: "%s" then "%s" -> %s', (lang, first, then, id) => {
    const prev = retrieve(kb, 'site-1', first, lang, null);
    expect(prev.answer?.entry.id).toBe(id);
    // on its own the follow-up is not answerable
    expect(retrieve(kb, 'site-1', then, lang, null).answer).toBeNull();
    const r = retrieve(kb, 'site-1', then, lang, { question: prev.query, entryId: prev.answer?.entry.id ?? null });
    expect(r.followUp).toBe(true);
    expect(r.answer?.entry.id).toBe(id);
  });

  it('a new question that stands on its own is not mixed with the previous one', () => {
    const r = retrieve(kb, 'site-1', 'how do I reset my password?', 'en', { question: 'How much is delivery to France?', entryId: 'shipping' });
    expect(r.followUp).toBe(false);
    expect(r.answer?.entry.id).toBe('password-reset');
  });

  it.each(['and to Canada?', 'what about express?', 'und nach Österreich?', 'et en Belgique ?', '¿y a México?'])('"%s" is elliptical', (t) => {
    expect(isElliptical(t)).toBe(true);
  });
  it.each(['How do I return a jumper?', 'Wo ist mein Paket?', 'andere Frage: wie storniere ich eine Bestellung, die ich gestern aufgegeben habe?'])('"%s" is not', (t) => {
    expect(isElliptical(t)).toBe(false);
  });
});
