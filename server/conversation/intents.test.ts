import { describe, expect, it } from 'vitest';
import { isGoodbye, isGreeting, isNo, isStop, isYes, wantsHuman } from './intents.ts';

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
});
