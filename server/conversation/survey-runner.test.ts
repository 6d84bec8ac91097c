import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Flow, SurveyFlow } from '../../shared/flow.ts';
import { createLogger } from '../logger.ts';
import { createEngine } from './engine.ts';
import { EngineDriver } from './engine-driver.ts';
import { createKnowledgeBase } from './knowledge-base.ts';

const engine = createEngine({ llm: null, kb: createKnowledgeBase(() => []), log: createLogger('silent') });
const example = (name: string) => Flow.parse(JSON.parse(readFileSync(new URL(`../../examples/flows/${name}.json`, import.meta.url), 'utf8')));
const survey = (questions: unknown[], extra: Record<string, unknown> = {}) =>
  SurveyFlow.parse({ id: 's', kind: 'survey', name: 'Test', questions, outro: 'Thanks, bye!', ...extra });

describe('NPS example survey, offline', () => {
  it('opens with the intro and the NPS question with 0-10 quick replies', async () => {
    const chat = new EngineDriver(engine, example('nps'));
    const r = await chat.start();
    expect(r.replies).toHaveLength(2);
    expect(r.replies[0]?.text).toMatch(/how we're doing/);
    expect(r.replies[1]?.text).toContain('How likely are you to recommend');
    expect(r.replies[1]?.reply?.options.map((o) => o.value)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(r.completed).toBe(false);
  });

  it('asks a detractor what to fix first, probes a short answer, and completes with typed answers', async () => {
    const chat = new EngineDriver(engine, example('nps'));
    await chat.start();
    await chat.say('3', '3');
    expect(chat.answer('nps')?.value).toBe(3);
    expect(chat.lastText).toContain('What should we fix first?');
    expect(chat.last.replies[0]?.reply).toBeNull();

    await chat.say('delivery');
    expect(chat.answer('fix_first')?.value).toBe('delivery');
    expect(chat.lastText).toMatch(/more/i);

    await chat.say('My parcel arrived a week late and nobody answered my emails.');
    expect(chat.answer('fix_first')?.elaborations).toEqual(['My parcel arrived a week late and nobody answered my emails.']);
    expect(chat.lastText).toContain('How satisfied were you with the delivery');
    expect(chat.last.replies[0]?.reply?.skippable).toBe(true);

    await chat.say('2', '2');
    expect(chat.completed).toBe(true);
    expect(chat.lastText).toContain('Thank you so much for your feedback');
    expect(chat.answers.map((a) => [a.questionId, a.value])).toEqual([
      ['nps', 3],
      ['fix_first', 'delivery'],
      ['delivery_csat', 2],
    ]);
  });

  it('asks a promoter something else and never the detractor question', async () => {
    const chat = new EngineDriver(engine, example('nps'));
    await chat.start();
    await chat.say('ten out of ten!');
    expect(chat.answer('nps')?.value).toBe(10);
    expect(chat.lastText).toContain('What do you like most');
    await chat.say('The fast delivery and friendly people on the phone line');
    expect(chat.lastText).toContain('delivery of your last order');
    expect(chat.history.some((m) => m.text.includes('fix first'))).toBe(false);
  });

  it('confirms an unsure free-text reading before storing it', async () => {
    const chat = new EngineDriver(engine, example('nps'));
    await chat.start();
    await chat.say('3');
    await chat.say('Your returns process needs to be much simpler and faster.');
    expect(chat.lastText).toContain('How satisfied were you with the delivery');
    await chat.say('pretty terrible');
    expect(chat.answer('delivery_csat')).toBeUndefined();
    expect(chat.lastText).toBe('Just to check: would you put that at 1 out of 5?');
    expect(chat.last.replies[0]?.reply?.options.map((o) => o.value)).toEqual(['yes', 'no']);
    await chat.say('yes');
    expect(chat.answer('delivery_csat')).toMatchObject({ value: 1, raw: 'pretty terrible' });
    expect(chat.completed).toBe(true);
  });

  it('lets the visitor correct an unsure reading', async () => {
    const chat = new EngineDriver(engine, example('nps'));
    await chat.start();
    await chat.say('meh');
    expect(chat.lastText).toContain('5 out of 10');
    await chat.say('no');
    expect(chat.lastText).toMatch(/Pick a number from 0/);
    await chat.say('an 8 then');
    expect(chat.answer('nps')?.value).toBe(8);
    // the prompt opens with its own "Thanks!", so no second acknowledgement goes in front
    expect(chat.lastText).toBe('Thanks! What would make it a 10 for you?');
  });

  it('"no, more like a 6" replaces the unsure reading', async () => {
    const chat = new EngineDriver(engine, example('nps'));
    await chat.start();
    await chat.say('it was ok');
    await chat.say('no, more like a 6');
    expect(chat.answer('nps')?.value).toBe(6);
    expect(chat.lastText).toContain('fix first');
  });

  it('re-asks when it cannot read the answer', async () => {
    const chat = new EngineDriver(engine, example('nps'));
    await chat.start();
    await chat.say('what is this about?');
    expect(chat.lastText).toMatch(/didn’t quite catch that.*0.*10/);
    expect(chat.last.replies[0]?.reply?.options).toHaveLength(11);
    expect(chat.answers).toEqual([]);
  });

  it('stop ends the survey, keeps what was answered, and counts as completed', async () => {
    const chat = new EngineDriver(engine, example('nps'));
    await chat.start();
    await chat.say('9', '9');
    await chat.say('stop');
    expect(chat.completed).toBe(true);
    expect(chat.answers.map((a) => a.value)).toEqual([9]);
    expect(chat.lastText).toMatch(/saved the answers/);
    await chat.say('hello?');
    expect(chat.lastText).toMatch(/already finished/);
    expect(chat.answers).toHaveLength(1);
  });
});

describe('rating scale end labels', () => {
  it("shows the owner's NPS labels, starting with a capital, and keeps them when the question is asked again", async () => {
    const chat = new EngineDriver(engine, example('nps'));
    const r = await chat.start();
    expect(r.replies[1]?.reply?.scale).toEqual({ low: 'Not at all likely', high: 'Extremely likely' });
    await chat.say('banana');
    expect(chat.last.replies[0]?.reply?.scale).toEqual({ low: 'Not at all likely', high: 'Extremely likely' });
  });

  it('falls back to default labels for each scale type, and gives none to other questions', async () => {
    const chat = new EngineDriver(engine, survey([
      { id: 'n', type: 'nps', prompt: 'Recommend us?' },
      { id: 'c', type: 'csat', prompt: 'Satisfied?' },
      { id: 'e', type: 'ces', prompt: 'Easy?' },
      { id: 's', type: 'stars', prompt: 'Stars?' },
      { id: 'y', type: 'yes_no', prompt: 'Again?' },
    ]));
    const first = (await chat.start()).replies[0]?.reply;
    const scales = [first?.scale];
    const labels = [first?.options.map((o) => o.label)];
    for (const v of ['9', '4', '6', '5']) {
      await chat.say(v, v);
      scales.push(chat.last.replies.at(-1)?.reply?.scale);
      labels.push(chat.last.replies.at(-1)?.reply?.options.map((o) => o.label));
    }
    // named ends under the row: the end buttons themselves are bare numbers
    expect(labels[1]).toEqual(['1', '2', '3', '4', '5']);
    expect(labels[2]).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(labels[3]).toEqual(['★', '★★', '★★★', '★★★★', '★★★★★']);
    expect(scales).toEqual([
      { low: 'Not likely', high: 'Very likely' },
      { low: 'Very dissatisfied', high: 'Very satisfied' },
      { low: 'Very difficult', high: 'Very easy' },
      { low: 'Very dissatisfied', high: 'Very satisfied' },
      undefined,
    ]);
  });
});

describe('question types, offline', () => {
  const flow = example('product-feedback');

  it('every closed question offers quick replies; multiple allows several', async () => {
    const chat = new EngineDriver(engine, flow);
    const r = await chat.start();
    expect(r.replies[1]?.reply?.options.map((o) => o.label)).toEqual(['Buying a gift', 'Shopping for myself', 'Just browsing', 'Returning an item']);
    await chat.say("It's a birthday present for my sister");
    expect(chat.answer('visit_reason')?.value).toBe('gift');
    // CES only for buyers
    expect(chat.lastText).toContain('How easy was it');
    expect(chat.last.replies[0]?.reply?.options.map((o) => o.value)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    await chat.say('6', '6');
    expect(chat.last.replies[0]?.reply).toMatchObject({ multiple: true });
    await chat.say('Wish lists, Photo reviews', ['wishlist', 'reviews']);
    expect(chat.answer('features')?.value).toEqual(['wishlist', 'reviews']);
    expect(chat.last.replies[0]?.reply).toMatchObject({ options: [{ label: 'Yes', value: 'yes' }, { label: 'No', value: 'no' }], skippable: true });
    await chat.say('nope');
    expect(chat.answer('app_interest')?.value).toBe(false);
    // branch on a yes/no answer
    expect(chat.lastText).toContain('What would make an app worth installing');
    await chat.say('skip');
    expect(chat.answer('app_why_not')?.value).toBeNull();
    expect(chat.last.replies[0]?.reply?.options.map((o) => o.label)).toEqual(['★', '★★', '★★★', '★★★★', '★★★★★']);
    await chat.say('two stars');
    // a low rating with a negative probe
    expect(chat.answer('site_stars')?.value).toBe(2);
    expect(chat.lastText).toMatch(/sorry/i);
    await chat.say('The search never finds anything and the filters reset.');
    expect(chat.completed).toBe(true);
    expect(chat.answer('site_stars')?.elaborations).toEqual(['The search never finds anything and the filters reset.']);
  });

  it('skips the CES question for visitors who are just browsing', async () => {
    const chat = new EngineDriver(engine, flow);
    await chat.start();
    await chat.say('just browsing');
    expect(chat.answer('visit_reason')?.value).toBe('browse');
    expect(chat.lastText).toContain('Which of these would you use?');
  });

  it('a required question cannot be skipped; an optional one can', async () => {
    const chat = new EngineDriver(engine, survey([
      { id: 'req', type: 'csat', prompt: 'Rate us' },
      { id: 'opt', type: 'text', prompt: 'Anything else?', optional: true },
    ]));
    const r = await chat.start();
    expect(r.replies[0]?.reply?.skippable).toBe(false);
    await chat.say('skip');
    expect(chat.lastText).toMatch(/can’t skip/);
    expect(chat.answers).toEqual([]);
    await chat.say('5', '5');
    expect(chat.last.replies[0]?.reply).toEqual({ options: [], multiple: false, skippable: true });
    await chat.say('Skip', '__skip');
    expect(chat.answer('opt')).toMatchObject({ value: null, raw: 'Skip' });
    expect(chat.completed).toBe(true);
  });

  it('text questions store the words verbatim; vague answers are probed at most max times', async () => {
    const chat = new EngineDriver(engine, survey([{ id: 't', type: 'text', prompt: 'How was it?', probe: { max: 2 } }]));
    await chat.start();
    await chat.say('fine');
    expect(chat.lastText).toMatch(/more|particular/i);
    await chat.say('ok');
    expect(chat.lastText).toMatch(/more|particular|detail/i);
    await chat.say('good');
    expect(chat.completed).toBe(true);
    expect(chat.answer('t')).toMatchObject({ value: 'fine', elaborations: ['ok', 'good'] });
  });

  it('a detailed, neutral text answer is not probed', async () => {
    const chat = new EngineDriver(engine, survey([{ id: 't', type: 'text', prompt: 'How was it?', probe: { max: 1 } }]));
    await chat.start();
    await chat.say('The checkout asked for my address twice, otherwise it went fine.');
    expect(chat.completed).toBe(true);
  });

  it('declining a probe moves on without an elaboration', async () => {
    const chat = new EngineDriver(engine, survey([{ id: 't', type: 'text', prompt: 'How was it?', probe: { max: 1 } }]));
    await chat.start();
    await chat.say('bad');
    await chat.say('no');
    expect(chat.completed).toBe(true);
    expect(chat.answer('t')).toMatchObject({ value: 'bad', elaborations: [] });
  });

  it('conditions: neq, skipped, answered and in', async () => {
    const chat = new EngineDriver(engine, survey([
      { id: 'a', type: 'yes_no', prompt: 'A?', optional: true },
      { id: 'b', type: 'text', prompt: 'B asked because A was skipped', when: [{ question: 'a', op: 'skipped' }] },
      { id: 'c', type: 'text', prompt: 'C asked because A was answered', when: [{ question: 'a', op: 'answered' }] },
      { id: 'd', type: 'nps', prompt: 'D?' },
      { id: 'e', type: 'text', prompt: 'E for 9 or 10', when: [{ question: 'd', op: 'in', value: [9, 10] }] },
      { id: 'f', type: 'text', prompt: 'F unless 10', when: [{ question: 'd', op: 'neq', value: 10 }] },
    ]));
    await chat.start();
    await chat.say('skip');
    expect(chat.lastText).toContain('B asked');
    await chat.say('because');
    expect(chat.lastText).toContain('D?');
    await chat.say('10');
    expect(chat.lastText).toContain('E for 9 or 10');
    await chat.say('great value for money');
    expect(chat.completed).toBe(true);
    expect(chat.answers.map((a) => a.questionId)).toEqual(['a', 'b', 'd', 'e']);
  });

  it('a request for a person during a closed question flags a handoff and keeps the question open', async () => {
    const chat = new EngineDriver(engine, example('nps'));
    await chat.start();
    const r = await chat.say('Can I talk to a real person please?');
    expect(r.needsHuman).toBe(true);
    expect(r.completed).toBe(false);
    expect(chat.lastText).toContain('How likely are you to recommend');
    expect(chat.last.replies[0]?.reply?.options).toHaveLength(11);
    const next = await chat.say('7', '7');
    expect(next.needsHuman).toBe(false);
    expect(chat.answer('nps')?.value).toBe(7);
  });

  it('resumes at the next unanswered question when the stored state is unreadable', async () => {
    const chat = new EngineDriver(engine, example('nps'));
    await chat.start();
    await chat.say('9', '9');
    chat.state = { garbage: true };
    await chat.say('hello');
    expect(chat.lastText).toContain('What do you like most');
  });
});
