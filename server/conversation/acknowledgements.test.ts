/** Acknowledgements and probes reflect what the visitor said, vary, and speak the visitor's language. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Flow, type Question } from '../../shared/flow.ts';
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import { createLogger } from '../logger.ts';
import { createEngine } from './engine.ts';
import { EngineDriver } from './engine-driver.ts';
import { createKnowledgeBase } from './knowledge-base.ts';
import { acknowledge, finishedIn, probe, stoppedIn, thanksForDetail } from './phrasing.ts';
import { toneOf } from './tone.ts';

const text: Question = { id: 'why', type: 'text', prompt: 'What is the main reason for your score?', optional: true, when: [] };
const nps: Question = { id: 'nps', type: 'nps', prompt: 'How likely…?', optional: false, when: [] };

describe('tone of a visitor message', () => {
  it.each<[string, ReturnType<typeof toneOf>]>([
    ['The courier lost my parcel and nobody called me back', 'complaint'],
    ['great quality but it arrived broken', 'complaint'],
    ['it arrived late but the jacket is lovely', 'praise'],
    ['not good at all', 'complaint'],
    ['Der Kurier hat mein Paket verloren', 'complaint'],
    ['Alles super, schnelle Lieferung!', 'praise'],
    ['Le colis est arrivé cassé', 'complaint'],
    ['Livraison rapide, je recommande', 'praise'],
    ['El pedido llegó roto y tarde', 'complaint'],
    ['Me encanta, muy buena calidad', 'praise'],
    ['I bought a lamp and a rug', 'neutral'],
    ['Ich habe eine Lampe bestellt', 'neutral'],
  ])('"%s" is %s', (t, tone) => {
    expect(toneOf(t)).toBe(tone);
  });
});

describe('acknowledgements', () => {
  const sorry: Record<WidgetLang, RegExp> = { en: /sorry/i, de: /tut mir leid|Entschuldigung/i, fr: /désolé/i, es: /siento|disculpe/i };
  const thanks: Record<WidgetLang, RegExp> = { en: /thank/i, de: /dank/i, fr: /merci/i, es: /gracias/i };
  const complaints: Record<WidgetLang, string> = {
    en: 'the courier lost my parcel and I had to chase it for two weeks',
    de: 'der Kurier hat mein Paket verloren, zwei Wochen hinterhergelaufen',
    fr: 'le transporteur a perdu mon colis, deux semaines de relances',
    es: 'el mensajero perdió mi paquete, dos semanas reclamando',
  };
  const praise: Record<WidgetLang, string> = {
    en: 'lovely staff and really fast delivery',
    de: 'tolles Team und super schnelle Lieferung',
    fr: 'équipe sympa et livraison très rapide',
    es: 'equipo encantador y entrega muy rápida',
  };

  it.each<WidgetLang>(['en', 'de', 'fr', 'es'])('%s: apologises for a complaint and thanks for praise', (lang) => {
    const complaint = acknowledge(text, complaints[lang], 1, { text: complaints[lang], lang });
    expect(complaint).toMatch(sorry[lang]);
    expect(complaint).not.toMatch(/great/i);
    const nice = acknowledge(text, praise[lang], 1, { text: praise[lang], lang });
    expect(nice).toMatch(thanks[lang]);
    expect(nice).not.toMatch(sorry[lang]);
  });

  it('a neutral answer gets a neutral line, never "Great"', () => {
    for (let n = 0; n < 6; n++) expect(acknowledge(text, 'I bought a lamp', n, { text: 'I bought a lamp', lang: 'en' })).not.toMatch(/great|sorry/i);
  });

  it('a high score with a complaint in words is still met with an apology', () => {
    expect(acknowledge(nps, 9, 0, { text: '9 but the parcel arrived damaged', lang: 'en' })).toMatch(/sorry/i);
    expect(acknowledge(nps, 10, 0, { text: '10', lang: 'en' })).toMatch(/thank/i);
    expect(acknowledge(nps, 2, 0, { text: '2', lang: 'de' })).toMatch(/Danke/);
  });

  it('varies from turn to turn', () => {
    const lines = new Set([0, 1, 2, 3].map((n) => acknowledge(text, 'fine', n, { text: 'it was delivered on Tuesday', lang: 'fr' })));
    expect(lines.size).toBeGreaterThan(1);
  });

  it('probes, thanks for details and closing lines follow the visitor\'s language', () => {
    expect(probe('negative', undefined, 0, 'de')).toMatch(/tut mir leid/i);
    expect(probe('short', undefined, 1, 'es')).toMatch(/detalle/);
    expect(probe('vague', 'Owner wording stays.', 0, 'fr')).toBe('Owner wording stays.');
    expect(thanksForDetail('le colis est arrivé cassé', 'fr', 0)).toMatch(/désolé/);
    expect(stoppedIn('es')).toMatch(/gracias/i);
    expect(finishedIn('de')).toMatch(/Umfrage/);
  });
});

describe('acknowledgements in a survey, offline', () => {
  const nps = Flow.parse(JSON.parse(readFileSync(new URL('../../examples/flows/nps.json', import.meta.url), 'utf8')));
  const engine = createEngine({ llm: null, kb: createKnowledgeBase(() => []), log: createLogger('silent') });

  it.each([
    ['en', 'The courier lost my parcel and nobody from your team ever called me back about it', /sorry/i],
    ['de', 'Der Kurier hat mein Paket verloren und niemand hat mich zurückgerufen, sehr ärgerlich', /tut mir leid|Entschuldigung|So sollte es nicht sein/],
    ['fr', 'Le transporteur a perdu mon colis et personne ne m’a rappelé, c’est inadmissible', /désolé/i],
    ['es', 'El mensajero perdió mi paquete y nadie me llamó, una vergüenza de servicio', /siento|disculpe|lo siento/i],
  ])('%s: a complaint is met with an apology in the visitor\'s language, not "Great, thanks"', async (_lang, complaint, apology) => {
    const chat = new EngineDriver(engine, nps, { locale: 'en' });
    await chat.start();
    await chat.say('3', '3');
    await chat.say(complaint);
    expect(chat.lastText).toMatch(apology);
    expect(chat.lastText).not.toMatch(/great/i);
    expect(chat.lastText).toContain('How satisfied were you with the delivery');
  });

  it('asking for a person mid-survey is answered in the visitor\'s language, and the survey goes on', async () => {
    const chat = new EngineDriver(engine, nps, { locale: 'en' });
    await chat.start();
    const r = await chat.say('Kann ich bitte mit einem Mitarbeiter sprechen?');
    expect(r.needsHuman).toBe(true);
    expect(chat.lastText).toMatch(/^Ich habe unserem Team Bescheid gegeben/);
    expect(chat.lastText).toContain('How likely are you to recommend');
    expect(r.completed).toBe(false);
  });
});
