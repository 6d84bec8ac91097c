import { describe, expect, it } from 'vitest';
import { verifiedContact } from './llm-extractor.ts';
import { conversationLanguage, withoutContact } from './offline-extractor.ts';

describe('conversation language', () => {
  it('detects it from the visitor text when that is clear, else takes the locale', () => {
    expect(conversationLanguage('Meine Bestellung ist immer noch nicht angekommen, bitte helfen Sie mir.', 'en-US')).toBe('de');
    expect(conversationLanguage('ok', 'fr-CA')).toBe('fr');
    expect(conversationLanguage('9', null)).toBeNull();
  });
});

describe('contact details are not topics', () => {
  it('drops e-mail addresses, phone numbers and their labels before topic matching', () => {
    expect(withoutContact('Mi correo: ana.gil@yahoo.es').trim()).toBe('');
    expect(withoutContact('call me on +44 20 7946 0958 please')).not.toMatch(/\d/);
  });
});

describe('contact details from the model', () => {
  const offline = { email: 'found@offline.example', phone: '+14155550134' };
  it('are kept only when the visitor wrote them', () => {
    const texts = ['write to jane@shop.example or call 020 7946 0958'];
    expect(verifiedContact({ email: 'jane@shop.example', phone: '+442079460958' }, offline, texts)).toEqual({ email: 'jane@shop.example', phone: '+442079460958' });
    // the number the offline reading found keeps the visitor's way of writing it
    expect(verifiedContact({ email: null, phone: '+442079460958' }, { email: null, phone: '020 7946 0958' }, texts).phone).toBe('020 7946 0958');
    expect(verifiedContact({ email: 'made@up.example', phone: '+442079460000' }, offline, texts)).toEqual(offline);
    expect(verifiedContact({ email: null, phone: 'not a number' }, offline, texts)).toEqual(offline);
  });
});
