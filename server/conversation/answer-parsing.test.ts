import { describe, expect, it } from 'vitest';
import { Question } from '../../shared/flow.ts';
import { readAnswer, readScale } from './answer-parsing.ts';

const q = (raw: unknown) => Question.parse(raw);
const nps = q({ id: 'nps', type: 'nps', prompt: 'How likely...?' });
const csat = q({ id: 'csat', type: 'csat', prompt: 'How satisfied...?' });
const ces = q({ id: 'ces', type: 'ces', prompt: 'How easy...?' });
const stars = q({ id: 'stars', type: 'stars', prompt: 'Rate us', max: 5 });

type Row = [question: Question, text: string, value: number, confident: boolean];
// [question, what the visitor typed, value on the scale, whether the engine may take it without confirming]
// Words are confirmed unless they are one clear, unhedged, strong opinion on a satisfaction-like
// scale; on NPS (a likelihood) words are always confirmed.
const table: Row[] = [
  [nps, '8', 8, true],
  [nps, 'an 8 I guess', 8, true],
  [nps, 'pretty good, an 8 I guess', 8, true],
  [nps, 'ten out of ten', 10, true],
  [nps, '10/10 would recommend', 10, true],
  [nps, 'Definitely a 9!', 9, true],
  [nps, 'zero', 0, true],
  [nps, 'I would say seven', 7, true],
  [nps, 'six.', 6, true],
  [nps, 'probably 7 or 8', 8, false],
  [nps, 'between 5 and 6', 6, false],
  [nps, '4/5', 8, false],
  [nps, '4 out of 5', 8, false],
  [nps, '100%', 10, false],
  [nps, 'fifty percent', 5, false],
  [nps, 'meh', 5, false],
  [nps, 'terrible', 0, false],
  [nps, 'not bad', 5, false],
  [nps, 'excellent service', 10, false],
  [nps, "I've been a customer for 3 years, I'd say 9", 9, false],
  [nps, 'I love it', 10, false],
  [nps, '11!!! so good', 10, false],
  [csat, 'pretty terrible', 1, false],
  [csat, '4/5', 4, true],
  [csat, 'four', 4, true],
  [csat, 'meh', 3, false],
  [csat, 'it was ok', 3, false],
  [csat, 'not good', 2, false],
  [csat, 'very good', 5, true],
  [csat, 'good', 4, false],
  [csat, 'really bad', 1, true],
  [csat, 'I give it a 2', 2, true],
  [csat, 'five stars', 5, true],
  [csat, '3 out of 5, average', 3, true],
  [csat, 'awful, just awful', 1, true],
  [csat, 'quite happy', 4, false],
  [csat, 'disappointed', 2, false],
  [csat, 'very satisfied, it came a day early', 5, true],
  [csat, 'pretty good', 4, false],
  [csat, 'kind of ok', 3, false],
  [csat, 'good food but really slow delivery', 3, false],
  [csat, 'not terrible', 3, false],
  [ces, 'it was easy', 6, false],
  [ces, 'very difficult', 1, true],
  [ces, '6', 6, true],
  [ces, 'seven out of seven', 7, true],
  [ces, 'effortless', 7, true],
  [stars, '3 stars', 3, true],
  [stars, 'one star', 1, true],
  [stars, '★★★★', 4, true],
  [stars, 'amazing', 5, true],
];

describe('free text read onto a scale', () => {
  it('has at least 40 phrasings', () => {
    expect(table.length).toBeGreaterThanOrEqual(40);
  });
  it.each(table)('%# %o: "%s" -> %d', (question, text, value, confident) => {
    expect(readAnswer(question, text)).toEqual({ kind: 'value', value, confident });
  });

  it('says unclear when there is nothing to read', () => {
    expect(readAnswer(nps, 'what do you mean?').kind).toBe('unclear');
    expect(readAnswer(csat, '42').kind).toBe('unclear');
  });

  it('maps a fraction of another scale proportionally', () => {
    expect(readScale('2/4', 1, 5)).toEqual({ kind: 'value', value: 3, confident: false });
  });
});

describe('skip, stop and clicks', () => {
  it.each(['skip', 'Skip this one please', 'pass', "I'd rather not say", 'next question', 'n/a'])('"%s" skips', (t) => {
    expect(readAnswer(nps, t).kind).toBe('skip');
  });
  it.each(['stop', 'Stop the survey', 'quit', "I'm done", 'no more questions please', 'enough!'])('"%s" stops', (t) => {
    expect(readAnswer(csat, t).kind).toBe('stop');
  });
  it('keeps long answers that merely mention stopping', () => {
    const text = q({ id: 't', type: 'text', prompt: 'Why?' });
    expect(readAnswer(text, 'The app would not stop crashing')).toEqual({ kind: 'value', value: 'The app would not stop crashing', confident: true });
  });
  it('takes a clicked value over the label text', () => {
    expect(readAnswer(nps, '9 - Very likely', '9')).toEqual({ kind: 'value', value: 9, confident: true });
    expect(readAnswer(nps, 'Skip', '__skip')).toEqual({ kind: 'skip' });
  });
});

describe('choices and yes/no', () => {
  const single = q({
    id: 'role',
    type: 'single',
    prompt: 'What do you do?',
    choices: [
      { value: 'dev', label: 'Developer', synonyms: ['engineer', 'programmer'] },
      { value: 'design', label: 'Designer' },
      { value: 'pm', label: 'Product manager', synonyms: ['pm'] },
    ],
  });
  const multiple = q({
    id: 'features',
    type: 'multiple',
    prompt: 'Which features?',
    min: 0,
    choices: [
      { value: 'search', label: 'Search' },
      { value: 'export', label: 'CSV export', synonyms: ['csv', 'exporting'] },
      { value: 'alerts', label: 'Alerts', synonyms: ['notifications'] },
    ],
  });
  const yn = q({ id: 'again', type: 'yes_no', prompt: 'Would you buy again?' });

  it.each([
    ["I'm a software engineer", 'dev'],
    ['designer', 'design'],
    ['the third one', 'pm'],
    ['2', 'design'],
  ])('single: "%s" -> %s', (text, value) => {
    expect(readAnswer(single, text)).toMatchObject({ kind: 'value', value });
  });
  it('multiple: several by label and synonym, all, none', () => {
    expect(readAnswer(multiple, 'search and notifications')).toEqual({ kind: 'value', value: ['search', 'alerts'], confident: true });
    expect(readAnswer(multiple, 'All of them')).toEqual({ kind: 'value', value: ['search', 'export', 'alerts'], confident: true });
    expect(readAnswer(multiple, 'none')).toEqual({ kind: 'value', value: [], confident: true });
    expect(readAnswer(multiple, 'x', ['export', 'search'])).toEqual({ kind: 'value', value: ['export', 'search'], confident: true });
    expect(readAnswer(multiple, 'x', ['export', 'bogus']).kind).toBe('unclear');
  });
  it.each([
    ['yes', true],
    ['Yeah, definitely', true],
    ['of course!', true],
    ['nope', false],
    ['not really', false],
    ["no, I don't think so", false],
  ])('yes/no: "%s" -> %s', (text, value) => {
    expect(readAnswer(yn, text)).toMatchObject({ kind: 'value', value });
  });
});

describe('multiple-choice limits', () => {
  const limited = Question.parse({
    id: 'top2',
    type: 'multiple',
    prompt: 'Pick two at most',
    min: 1,
    max: 2,
    choices: [
      { value: 'a', label: 'Apples' },
      { value: 'b', label: 'Bananas' },
      { value: 'c', label: 'Cherries' },
    ],
  });
  it('rejects too many or too few picks', () => {
    expect(readAnswer(limited, 'apples, bananas and cherries').kind).toBe('unclear');
    expect(readAnswer(limited, 'x', ['a', 'b', 'c']).kind).toBe('unclear');
    expect(readAnswer(limited, 'none').kind).toBe('unclear');
    expect(readAnswer(limited, 'apples and cherries')).toEqual({ kind: 'value', value: ['a', 'c'], confident: true });
  });
});
