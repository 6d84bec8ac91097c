/**
 * A support chat: answer from the site's knowledge base, say plainly when it has no answer and
 * offer a person, hand off when the visitor accepts or asks, and ask for a CSAT rating before
 * closing ("that's all", "thanks, bye", or the "That solved it" button).
 */
import type { Answer, Question, SupportFlow } from '../../shared/flow.ts';
import type { ReplyOptions } from '../../shared/message.ts';
import { readAnswer } from './answer-parsing.ts';
import type { BotReply, TurnResult, VisitorInput } from './engine-types.ts';
import { newSupportState, type SupportState } from './engine-state.ts';
import { isGoodbye, isGreeting, isNo, isStop, isYes, REPLY_VALUES, wantsHuman } from './intents.ts';
import { offlineKbAnswer } from './kb-answer.ts';
import { answerOrDecline, say } from './llm-turns.ts';
import { isEnglish, restateTask, supportAnswerTask } from './prompts.ts';
import { questionOptions, yesNoOptions } from './question-options.ts';
import type { TurnContext } from './turn-context.ts';

/** the rating is stored as an answer to this pseudo-question */
export const SUPPORT_RATING_ID = 'support_csat';
/** BM25 scores below this are word-level coincidences, not answers (tuned on examples/kb) */
const MIN_SCORE = 3;

const ratingQuestion = (flow: SupportFlow): Question => ({ id: SUPPORT_RATING_ID, type: 'csat', prompt: flow.rating.prompt, optional: true, when: [] });

function afterAnswerOptions(flow: SupportFlow): ReplyOptions {
  return {
    options: [
      { label: 'That solved it', value: REPLY_VALUES.solved },
      { label: 'I have another question', value: REPLY_VALUES.another },
      ...(flow.handoff.enabled ? [{ label: 'Talk to a person', value: REPLY_VALUES.human }] : []),
    ],
    multiple: false,
    skippable: false,
  };
}

interface Turn {
  ctx: TurnContext;
  flow: SupportFlow;
  state: SupportState;
  replies: BotReply[];
  answers: Answer[];
  needsHuman: boolean;
}

const result = (t: Turn, completed = false): TurnResult => ({ replies: t.replies, state: t.state, answers: t.answers, completed, needsHuman: t.needsHuman });

/** fixed wording in English; restated by the LLM for other languages */
async function line(t: Turn, text: string, reply: ReplyOptions | null): Promise<void> {
  t.replies.push(isEnglish(t.ctx.input.locale) ? { text, reply } : await say(t.ctx, restateTask(text), text, reply, { history: false }));
}

async function handOff(t: Turn): Promise<TurnResult> {
  if (!t.flow.handoff.enabled) {
    t.state = { ...t.state, phase: 'chat' };
    await line(t, 'I’m sorry, nobody from the team can join this chat. I’ll do my best to help: what would you like to know?', null);
    return result(t);
  }
  if (t.state.handedOff) {
    t.state = { ...t.state, phase: 'chat' };
    await line(t, 'I’ve already asked the team to join. Someone will reply right here as soon as they can.', null);
    return result(t);
  }
  t.state = { ...t.state, phase: 'chat', handedOff: true };
  t.needsHuman = true;
  await line(t, 'I’ve asked a person from our team to join this chat. They’ll reply right here as soon as they can, and you can keep writing in the meantime.', null);
  return result(t);
}

async function askRating(t: Turn): Promise<TurnResult> {
  t.state = { ...t.state, phase: 'rating' };
  await line(t, `Glad I could help. ${t.flow.rating.prompt}`, questionOptions(ratingQuestion(t.flow)));
  return result(t);
}

async function onRating(t: Turn, visitor: VisitorInput): Promise<TurnResult> {
  const q = ratingQuestion(t.flow);
  const reading = readAnswer(q, visitor.text, visitor.value);
  if (reading.kind === 'value' && typeof reading.value === 'number') {
    t.answers.push({ questionId: q.id, type: 'csat', value: reading.value, raw: visitor.text, elaborations: [], answeredAt: Date.now() });
    t.state = { ...t.state, phase: 'done' };
    await line(t, reading.value <= 2 ? 'Thank you for telling us. We’ll use it to do better. Take care!' : 'Thank you for your feedback, and have a great day!', null);
    return result(t, true);
  }
  if (reading.kind === 'unclear' && t.state.misses < 1 && !isGoodbye(visitor.text)) {
    t.state = { ...t.state, misses: t.state.misses + 1 };
    await line(t, 'Sorry, I didn’t catch that. Please pick a number from 1 (very dissatisfied) to 5 (very satisfied), or skip.', questionOptions(q));
    return result(t);
  }
  t.state = { ...t.state, phase: 'done' };
  await line(t, 'No problem. Thanks for chatting with us, and have a great day!', null);
  return result(t, true);
}

async function answerQuestion(t: Turn, question: string): Promise<TurnResult> {
  const { site } = t.ctx.input;
  const hits = t.ctx.kb.search(site.id, question, 3).filter((h) => h.score >= MIN_SCORE);
  const top = hits[0];
  const answer = top ? await answerOrDecline(t.ctx, supportAnswerTask(hits.map((h) => h.entry)), offlineKbAnswer(top.entry, question), afterAnswerOptions(t.flow)) : 'declined';
  if (answer === 'declined') {
    t.state = { ...t.state, misses: t.state.misses + 1, phase: t.flow.handoff.enabled && !t.state.handedOff ? 'offer' : 'chat' };
    if (t.state.phase === 'offer') {
      await line(t, 'I’m sorry, I don’t know the answer to that. Would you like me to connect you with a person from our team?', yesNoOptions('Yes, please', 'No, thanks'));
    } else if (t.state.handedOff) {
      await line(t, 'I’m sorry, I don’t know the answer to that. A person from our team has been asked to join and will reply here.', null);
    } else {
      await line(t, 'I’m sorry, I don’t know the answer to that. Could you try asking it another way?', null);
    }
    return result(t);
  }
  t.state = { ...t.state, phase: 'chat' };
  t.replies.push(answer);
  return result(t);
}

export async function startSupport(ctx: TurnContext, flow: SupportFlow): Promise<TurnResult> {
  const t: Turn = { ctx, flow, state: newSupportState(), replies: [], answers: [], needsHuman: false };
  await line(t, flow.intro, null);
  return result(t);
}

export async function replySupport(ctx: TurnContext, flow: SupportFlow, state: SupportState, visitor: VisitorInput): Promise<TurnResult> {
  const t: Turn = { ctx, flow, state: { ...state, turn: state.turn + 1 }, replies: [], answers: [], needsHuman: false };
  const { text, value } = visitor;
  const clicked = typeof value === 'string' ? value : undefined;
  if (state.phase === 'done') {
    await line(t, 'This chat has ended. Start a new one any time if you need more help.', null);
    return result(t, true);
  }
  if (state.phase === 'rating') return onRating(t, visitor);
  if (clicked === REPLY_VALUES.human || (clicked === undefined && wantsHuman(text))) return handOff(t);
  if (state.phase === 'offer') {
    if (clicked === REPLY_VALUES.yes || (clicked === undefined && isYes(text))) return handOff(t);
    if (clicked === REPLY_VALUES.no || (clicked === undefined && isNo(text))) {
      t.state = { ...t.state, phase: 'chat' };
      await line(t, 'Alright. Is there anything else I can help you with?', null);
      return result(t);
    }
  }
  if (clicked === REPLY_VALUES.solved || (clicked === undefined && (isGoodbye(text) || isStop(text)))) return askRating(t);
  if (clicked === REPLY_VALUES.another) {
    t.state = { ...t.state, phase: 'chat' };
    await line(t, 'Sure, what else would you like to know?', null);
    return result(t);
  }
  if (clicked === undefined && isGreeting(text)) {
    await line(t, 'Hi! What can I help you with today?', null);
    return result(t);
  }
  return answerQuestion(t, text);
}
