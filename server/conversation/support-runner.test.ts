import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Flow, SupportFlow } from '../../shared/flow.ts';
import { createLogger } from '../logger.ts';
import { createEngine } from './engine.ts';
import { EngineDriver } from './engine-driver.ts';
import { loadKbDir } from './example-kb.ts';
import { createKnowledgeBase } from './knowledge-base.ts';

const kb = createKnowledgeBase(() => loadKbDir());
const engine = createEngine({ llm: null, kb, log: createLogger('silent') });
const flow = Flow.parse(JSON.parse(readFileSync(new URL('../../examples/flows/support.json', import.meta.url), 'utf8')));

describe('support flow, offline', () => {
  it('greets with the intro', async () => {
    const chat = new EngineDriver(engine, flow);
    const r = await chat.start();
    expect(r.replies.map((x) => x.text)).toEqual([expect.stringContaining('Ask me anything')]);
    expect(r.completed).toBe(false);
  });

  it('answers from the best entry with its relevant paragraph and follow-up buttons', async () => {
    const chat = new EngineDriver(engine, flow);
    await chat.start();
    await chat.say('How long does delivery to Germany take?');
    expect(chat.lastText).toContain('Shipping times and costs');
    expect(chat.lastText).toContain('5 to 8 working days to the EU');
    expect(chat.lastText).not.toContain('bank holidays');
    expect(chat.last.replies[0]?.reply?.options.map((o) => o.value)).toEqual(['solved', 'another', 'human']);
    expect(chat.needsHuman).toBe(false);
  });

  it('says plainly when it does not know, offers a person, and hands off on yes', async () => {
    const chat = new EngineDriver(engine, flow);
    await chat.start();
    await chat.say('Do you sell garden furniture?');
    expect(chat.lastText).toMatch(/don’t know/);
    expect(chat.last.replies[0]?.reply?.options.map((o) => o.value)).toEqual(['yes', 'no']);
    expect(chat.needsHuman).toBe(false);
    const r = await chat.say('yes please');
    expect(r.needsHuman).toBe(true);
    expect(chat.lastText).toMatch(/person from our team/);
    expect(r.completed).toBe(false);
  });

  it('declining the offer keeps the chat going without a handoff', async () => {
    const chat = new EngineDriver(engine, flow);
    await chat.start();
    await chat.say('Do you sell garden furniture?');
    const r = await chat.say('No', 'no');
    expect(r.needsHuman).toBe(false);
    expect(chat.lastText).toMatch(/anything else/);
    await chat.say('can I pay with paypal?');
    expect(chat.lastText).toContain('PayPal');
  });

  it.each(['Can I talk to a human?', 'I want to speak to someone', 'agent please'])('"%s" asks for a person', async (text) => {
    const chat = new EngineDriver(engine, flow);
    await chat.start();
    const r = await chat.say(text);
    expect(r.needsHuman).toBe(true);
  });

  it('asks for a handoff only once', async () => {
    const chat = new EngineDriver(engine, flow);
    await chat.start();
    await chat.say('Talk to a person', 'human');
    const again = await chat.say('human please');
    expect(again.needsHuman).toBe(false);
    expect(chat.lastText).toMatch(/already asked/);
  });

  it('"That solved it" asks for a 1-5 rating, which completes the chat and is stored', async () => {
    const chat = new EngineDriver(engine, flow);
    await chat.start();
    await chat.say('I forgot my password');
    expect(chat.lastText).toContain('Forgot password?');
    await chat.say('That solved it', 'solved');
    expect(chat.lastText).toContain('How satisfied are you with the help you got today?');
    expect(chat.last.replies[0]?.reply?.options.map((o) => o.value)).toEqual(['1', '2', '3', '4', '5']);
    expect(chat.completed).toBe(false);
    const r = await chat.say('5', '5');
    expect(r.completed).toBe(true);
    expect(chat.answer('support_csat')).toMatchObject({ type: 'csat', value: 5 });
  });

  it.each(["thanks, bye", "that's all", 'Thank you!'])('"%s" leads to the rating question', async (text) => {
    const chat = new EngineDriver(engine, flow);
    await chat.start();
    await chat.say('where is my parcel?');
    await chat.say(text);
    expect(chat.lastText).toContain('How satisfied are you');
    await chat.say('pretty good, a 4');
    expect(chat.completed).toBe(true);
    expect(chat.answer('support_csat')?.value).toBe(4);
  });

  it('a skipped rating still closes the chat, with no rating stored', async () => {
    const chat = new EngineDriver(engine, flow);
    await chat.start();
    await chat.say('bye');
    await chat.say('skip');
    expect(chat.completed).toBe(true);
    expect(chat.answers).toEqual([]);
  });

  it('without handoff it never offers a person', async () => {
    const noHandoff = SupportFlow.parse({ id: 'x', kind: 'support', name: 'X', intro: 'Hi', handoff: { enabled: false } });
    const chat = new EngineDriver(engine, noHandoff);
    await chat.start();
    await chat.say('Do you sell garden furniture?');
    expect(chat.lastText).toMatch(/another way/);
    const r = await chat.say('let me talk to a human');
    expect(r.needsHuman).toBe(false);
  });

  it('a "great" right after an answer it did not have does not close the chat as solved', async () => {
    const chat = new EngineDriver(engine, flow);
    await chat.start();
    await chat.say('Can I get a discount as a nurse?');
    expect(chat.lastText).toMatch(/don’t know/);
    const r = await chat.say('great');
    expect(r.completed).toBe(false);
    expect(chat.lastText).toMatch(/couldn’t (answer|help)/);
    expect(chat.lastText).not.toMatch(/Glad I could help|How satisfied/);
    await chat.say('no thanks', 'no');
    await chat.say('bye');
    expect(chat.lastText).toContain('How satisfied are you');
    expect(chat.lastText).not.toMatch(/Glad I could help/);
  });

  it('remembers the previous question for an elliptical follow-up', async () => {
    const chat = new EngineDriver(engine, flow);
    await chat.start();
    await chat.say('How much is delivery to Ireland?');
    expect(chat.lastText).toContain('Shipping times and costs');
    await chat.say('and to Canada?');
    expect(chat.lastText).toContain('Shipping times and costs');
    expect(chat.lastText).toContain('We do not ship to other countries yet');
  });

  it('a sentence that merely mentions an agent is a question, not a hand-off', async () => {
    const chat = new EngineDriver(engine, flow);
    await chat.start();
    const r = await chat.say('my travel agent ordered this for me, how do I return it?');
    expect(r.needsHuman).toBe(false);
    expect(chat.lastText).not.toMatch(/I’ve asked a person/);
    const again = await chat.say('The agent at the depot says it was delivered but nothing arrived');
    expect(again.needsHuman).toBe(false);
    expect(chat.lastText).toContain('Tracking your order');
  });

  it.each([
    ['de', 'Gibt es bei euch einen Rabatt für Studenten?', /leider (nicht|keine Antwort)/, ['Ja, bitte', 'Nein, danke'], 'Ich möchte mit einem Mitarbeiter sprechen', /Person aus unserem Team/],
    ['fr', 'Vous faites une remise pour les enseignants ?', /je ne connais pas la réponse|pas de réponse/, ['Oui, s’il vous plaît', 'Non, merci'], "je voudrais parler à quelqu'un", /personne de notre équipe/],
    ['es', '¿Tenéis descuento para profesores?', /no sé la respuesta|no tengo respuesta/, ['Sí, por favor', 'No, gracias'], 'quiero hablar con un agente', /persona de nuestro equipo/],
  ] as const)('%s: the bot’s own lines follow the visitor’s language on an English widget', async (_lang, question, dontKnow, buttons, askPerson, handedOff) => {
    const chat = new EngineDriver(engine, flow, { locale: 'en' });
    await chat.start();
    await chat.say(question);
    expect(chat.lastText).toMatch(dontKnow);
    expect(chat.last.replies[0]?.reply?.options.map((o) => o.label)).toEqual([...buttons]);
    const r = await chat.say(askPerson);
    expect(r.needsHuman).toBe(true);
    expect(chat.lastText).toMatch(handedOff);
  });

  it('answers a Spanish question from the English article with a Spanish lead', async () => {
    const chat = new EngineDriver(engine, flow, { locale: 'es' });
    await chat.start();
    await chat.say('¿Cuánto cuesta el envío a Alemania?');
    expect(chat.lastText).toMatch(/^(Esto es lo que encontré|Esto debería ayudarle)/);
    expect(chat.lastText).toContain('£9.95');
    expect(chat.last.replies[0]?.reply?.options.map((o) => o.label)).toContain('Resuelto');
  });
});
