/**
 * What a short visitor message means regardless of the question: skip, stop, yes/no, asking for a
 * person, saying goodbye. Patterns match the whole message (minus politeness), so a long answer
 * that merely contains "stop" is still an answer.
 */

/** quick-reply values the engine offers and the widget sends back */
export const REPLY_VALUES = {
  skip: '__skip',
  yes: 'yes',
  no: 'no',
  solved: 'solved',
  human: 'human',
  another: 'another',
} as const;

function clean(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/[^a-z0-9' /-]+/g, ' ')
    .replace(/\b(please|pls|plz|ok|okay|um+|uh+|well|just|thanks|thank you|thx|cheers)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const SKIP = /^(skip( (this|it|that|this one|this question|the question))?|pass|next( question| one)?|i'?d rather not( say| answer)?|rather not( say)?|prefer not to (say|answer)|no comment|n ?\/? ?a|not applicable|move on|i'?ll pass|no answer)$/;
const STOP = /^((i want to |can we |let's |lets )?(stop|quit|exit|cancel|end)( (this|it|the survey|the chat|now|here|asking|the questions|survey|chat))*|enough|that'?s enough|i'?m done|i am done|no more( questions)?|leave me alone|go away|unsubscribe)$/;
const YES = /^(y|yes|yeah|yea|yep|yup|ya|sure|of course|definitely|absolutely|certainly|correct|right|that'?s right|exactly|indeed|affirmative|i do|i did|i would|i have|i am|it is|it was|yes it is|yes please|sounds good|why not|totally|for sure|you bet)( yes)?$/;
const NO = /^(n|no|nope|nah|not really|no way|never|negative|i don'?t|i didn'?t|i wouldn'?t|i haven'?t|i'?m not|it isn'?t|it wasn'?t|not at all|wrong|that'?s wrong|incorrect|no it isn'?t|no that'?s wrong|not quite|don'?t think so|i don'?t think so|no thanks|no thank you)$/;
const HUMAN = /\b(human|real person|a person|someone real|an agent|agent|operator|representative|customer service|support team|talk to (someone|somebody|a person|staff)|speak (to|with) (someone|somebody|a person|staff|a manager)|live chat|manager)\b/;
const BYE = /^(bye|goodbye|bye bye|that'?s all|that is all|that'?s it|that was all|all good|all set|no that'?s all|nothing else|no nothing else|i'?m good|i'?m all set|that solved it|solved|problem solved|that helps|that helped|great|perfect|got it|awesome|have a (good|nice) (day|one)|see you|cya|no more questions|that answers it|that answers my question)( bye)?$/;
const GREETING = /^(hi|hello|hey|hiya|good (morning|afternoon|evening)|howdy|yo|hi there|hello there|hey there)$/;

export const isSkip = (text: string) => SKIP.test(clean(text));
export const isStop = (text: string) => STOP.test(clean(text));
export const isYes = (text: string) => {
  const c = clean(text);
  return c === '' ? /\b(ok|okay)\b/i.test(text) : YES.test(c);
};
export const isNo = (text: string) => NO.test(clean(text));
export const wantsHuman = (text: string) => HUMAN.test(text.toLowerCase());
export const isGreeting = (text: string) => GREETING.test(clean(text));
/** "thanks" alone also closes: clean() drops it, leaving nothing */
export const isGoodbye = (text: string) => {
  const c = clean(text);
  return c === '' ? /\b(thanks|thank you|thx|cheers)\b/i.test(text) : BYE.test(c);
};
