import { describe, expect, it } from 'vitest';
import { isGoodbye, isGreeting, isNo, isStop, isThanksOnly, isYes, wantsHuman } from './intents.ts';

describe('intents', () => {
  it.each(['thanks, bye', "that's all", 'Thank you!', 'ok thanks, that solved it', 'bye!', 'nothing else, cheers'])('"%s" is a goodbye', (t) => {
    expect(isGoodbye(t)).toBe(true);
  });
  it.each(['thanks for the info, but where is my parcel?', 'how do I say bye to my account', 'all good products?'])('"%s" is not a goodbye', (t) => {
    expect(isGoodbye(t)).toBe(false);
  });
  it.each(['I need a human', 'can I speak to someone', 'Connect me to an agent', 'real person please'])('"%s" asks for a person', (t) => {
    expect(wantsHuman(t)).toBe(true);
  });
  it('a long sentence containing "stop" is not a stop', () => {
    expect(isStop('please stop the survey')).toBe(true);
    expect(isStop('it did not stop raining during delivery')).toBe(false);
  });
  it('yes/no and greetings', () => {
    expect(isYes('ok')).toBe(true);
    expect(isYes('yes please')).toBe(true);
    expect(isNo('no thanks')).toBe(true);
    expect(isYes('no')).toBe(false);
    expect(isGreeting('Hello there!')).toBe(true);
    expect(isGreeting('hello, where is my order?')).toBe(false);
  });

  it.each([
    'can I talk to a human please',
    'I want to speak with a real person',
    'agent',
    'Kann ich bitte mit einem Mitarbeiter sprechen?',
    'echte Person bitte',
    'Ich möchte mit einem Menschen reden',
    "Je voudrais parler à quelqu'un",
    'Est-ce que je peux parler à un conseiller ?',
    'quiero hablar con un agente',
    '¿Puedo hablar con una persona real?',
    'Can a person help me with a return?',
    'Kann mir jemand helfen?',
    "Est-ce que quelqu'un peut m'aider ?",
    '¿Alguien me puede ayudar?',
  ])('"%s" asks for a person (en/de/fr/es)', (t) => {
    expect(wantsHuman(t)).toBe(true);
  });

  it.each([
    'my travel agent booked it for me, can I change the dates?',
    'The agent at the depot said it was delivered',
    'I spoke to an agent yesterday and nothing happened',
    'Mein Berater im Laden hat gesagt, ich kann es umtauschen',
    "personne ne répond au téléphone depuis deux jours",
    'mi agente de viajes hizo la reserva',
  ])('"%s" mentions someone but does not ask for a person', (t) => {
    expect(wantsHuman(t)).toBe(false);
  });

  it.each(['danke, tschüss', 'Merci, au revoir', 'gracias, adiós', "c'est tout", 'das war’s'])('"%s" is a goodbye in its language', (t) => {
    expect(isGoodbye(t)).toBe(true);
  });

  it('yes/no in four languages', () => {
    for (const t of ['ja gerne', 'oui, volontiers', 'sí, por favor', 'claro']) expect(isYes(t)).toBe(true);
    for (const t of ['nein danke', 'non merci', 'no, gracias']) expect(isNo(t)).toBe(true);
    expect(isGreeting('Bonjour !')).toBe(true);
    expect(isGreeting('Hola')).toBe(true);
  });

  it('"great" or "thanks" alone is politeness, not a goodbye with a question in it', () => {
    for (const t of ['great', 'Thanks!', 'super', 'parfait', 'perfecto', 'danke']) expect(isThanksOnly(t)).toBe(true);
    for (const t of ['thanks, bye', 'great, but where is my parcel?', "that's all"]) expect(isThanksOnly(t)).toBe(false);
  });
});
