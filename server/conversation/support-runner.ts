/**
 * A support chat: answer from the site's knowledge base, say plainly when it has no answer and
 * offer a person, hand off when the visitor accepts or asks, and ask for a CSAT rating before
 * closing ("that's all", "thanks, bye", or the "That solved it" button).
 *
 * The bot's own words follow the visitor's language (en, de, fr, es; support-lines.ts); a short
 * follow-up ("and to Canada?") is read with the previous question (kb-retrieval.ts). With an LLM
 * the model always gets the best passages, even weak ones, and answers only from them or says it
 * does not know; when the server offers embeddings the passages come from hybrid search.
 */
import type { Answer, Question, SupportFlow } from '../../shared/flow.ts';
import type { ReplyOptions } from '../../shared/message.ts';
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import { readAnswer } from './answer-parsing.ts';
import type { BotReply, TurnResult, VisitorInput } from './engine-types.ts';
import { newSupportState, type SupportState } from './engine-state.ts';
import { isGoodbye, isGreeting, isNo, isStop, isThanksOnly, isYes, REPLY_VALUES, wantsHuman } from './intents.ts';
import { relevantText } from './kb-answer.ts';
import { fuse, rankByEmbedding, rankByEntry } from './kb-embeddings.ts';
import { retrieve, type Retrieval } from './kb-retrieval.ts';
import { answerOrDecline, say } from './llm-turns.ts';
import { isEnglish, restateTask, supportAnswerTask } from './prompts.ts';
import { questionOptions, yesNoOptions } from './question-options.ts';
import { supportLine, type SupportLine } from './support-lines.ts';
import type { TurnContext } from './turn-context.ts';
import { visitorLang } from './visitor-language.ts';

/** the rating is stored as an answer to this pseudo-question */
export const SUPPORT_RATING_ID = 'support_csat';
/** passages an LLM sees per question */
const PASSAGES = 3;

const ratingQuestion = (flow: SupportFlow): Question => ({ id: SUPPORT_RATING_ID, type: 'csat', prompt: flow.rating.prompt, optional: true, when: [] });

interface Turn {
  ctx: TurnContext;
  flow: SupportFlow;
  state: SupportState;
  lang: WidgetLang;
  replies: BotReply[];
  answers: Answer[];
  needsHuman: boolean;
}

const result = (t: Turn, completed = false): TurnResult => ({ replies: t.replies, state: t.state, answers: t.answers, completed, needsHuman: t.needsHuman });

const text = (t: Turn, key: SupportLine, vars: Record<string, string> = {}) => supportLine(key, t.lang, t.state.turn, vars);

function afterAnswerOptions(t: Turn): ReplyOptions {
  return {
    options: [
      { label: text(t, 'solvedButton'), value: REPLY_VALUES.solved },
      { label: text(t, 'anotherButton'), value: REPLY_VALUES.another },
      ...(t.flow.handoff.enabled ? [{ label: text(t, 'humanButton'), value: REPLY_VALUES.human }] : []),
    ],
    multiple: false,
    skippable: false,
  };
}

/** one of our own lines, already in the visitor's language */
function line(t: Turn, key: SupportLine, reply: ReplyOptions | null = null): void {
  t.replies.push({ text: text(t, key), reply });
}

/** text that holds the site's own words (intro, rating question): restated by the LLM when not English */
async function siteLine(t: Turn, words: string, reply: ReplyOptions | null): Promise<void> {
  const english = t.lang === 'en' && isEnglish(t.ctx.input.locale);
  t.replies.push(english ? { text: words, reply } : await say(t.ctx, restateTask(words), words, reply, { history: false }));
}

function handOff(t: Turn): TurnResult {
  t.state = { ...t.state, phase: 'chat' };
  if (!t.flow.handoff.enabled) {
    line(t, 'handoffDisabled');
    return result(t);
  }
  if (t.state.handedOff) {
    line(t, 'handoffAgain');
    return result(t);
  }
  t.state = { ...t.state, handedOff: true };
  t.needsHuman = true;
  line(t, 'handoffDone');
  return result(t);
}

async function askRating(t: Turn): Promise<TurnResult> {
  // "Glad I could help" only when the last answer was one
  const lead = text(t, t.state.lastOutcome === 'declined' ? 'closeLead' : 'solvedLead');
  t.state = { ...t.state, phase: 'rating' };
  await siteLine(t, `${lead} ${t.flow.rating.prompt}`, questionOptions(ratingQuestion(t.flow)));
  return result(t);
}

function onRating(t: Turn, visitor: VisitorInput): TurnResult {
  const q = ratingQuestion(t.flow);
  const reading = readAnswer(q, visitor.text, visitor.value);
  if (reading.kind === 'value' && typeof reading.value === 'number') {
    t.answers.push({ questionId: q.id, type: 'csat', value: reading.value, raw: visitor.text, elaborations: [], answeredAt: Date.now() });
    t.state = { ...t.state, phase: 'done' };
    line(t, reading.value <= 2 ? 'ratingLow' : 'ratingHigh');
    return result(t, true);
  }
  if (reading.kind === 'unclear' && t.state.misses < 1 && !isGoodbye(visitor.text)) {
    t.state = { ...t.state, misses: t.state.misses + 1 };
    line(t, 'ratingRetry', questionOptions(q));
    return result(t);
  }
  t.state = { ...t.state, phase: 'done' };
  line(t, 'ratingSkipped');
  return result(t, true);
}

/**
 * The passages to answer from: BM25 with memory, fused with embedding neighbours when available.
 * When the offline reader already knows the entry, its neighbours come from cached vectors with
 * no request, so the answer's stream is the turn's first upstream request; otherwise the question
 * is embedded first (that is where hybrid search finds what keywords miss).
 */
async function passages(t: Turn, question: string): Promise<Retrieval> {
  const { ctx } = t;
  const siteId = ctx.input.site.id;
  await ctx.kb.load(siteId);
  const found = retrieve(ctx.kb, siteId, question, t.lang, t.state.memory ?? null, undefined, ctx.llm ? 10 : PASSAGES);
  if (!ctx.llm) return found;
  const entries = ctx.kb.entries(siteId);
  const ranked = (found.answer ? rankByEntry(ctx.llm, entries, found.answer.entry) : null) ?? (await rankByEmbedding(ctx.llm, entries, found.query, ctx.log));
  return { ...found, hits: ranked ? fuse(found.hits, ranked, PASSAGES) : found.hits.slice(0, PASSAGES) };
}

function offlineAnswer(t: Turn, found: Retrieval): string | null {
  const hit = found.answer;
  if (!hit) return null;
  return `${text(t, 'foundLead', { title: hit.entry.title })}\n\n${relevantText(hit.entry, found.query, t.lang)}`;
}

async function answerQuestion(t: Turn, question: string): Promise<TurnResult> {
  const found = await passages(t, question);
  const offline = offlineAnswer(t, found);
  const ctx = t.ctx.llm ? { ...t.ctx, input: { ...t.ctx.input, locale: t.lang } } : t.ctx;
  const answer =
    found.hits.length === 0 ? 'declined' : await answerOrDecline(ctx, supportAnswerTask(found.hits.map((h) => h.entry), t.lang), offline, afterAnswerOptions(t));
  if (answer === 'declined') {
    t.state = {
      ...t.state,
      misses: t.state.misses + 1,
      phase: t.flow.handoff.enabled && !t.state.handedOff ? 'offer' : 'chat',
      lastOutcome: 'declined',
      memory: { question: found.query, entryId: null },
    };
    if (t.state.phase === 'offer') line(t, 'dontKnowOffer', yesNoOptions(text(t, 'yesPlease'), text(t, 'noThanks')));
    else line(t, t.state.handedOff ? 'dontKnowHandedOff' : 'dontKnowRephrase');
    return result(t);
  }
  t.state = { ...t.state, phase: 'chat', lastOutcome: 'answered', memory: { question: found.query, entryId: found.answer?.entry.id ?? found.hits[0]?.entry.id ?? null } };
  t.replies.push(answer);
  return result(t);
}

export async function startSupport(ctx: TurnContext, flow: SupportFlow): Promise<TurnResult> {
  const t: Turn = { ctx, flow, state: newSupportState(), lang: await visitorLang(ctx.input, ''), replies: [], answers: [], needsHuman: false };
  await siteLine(t, flow.intro, null);
  return result(t);
}

export async function replySupport(ctx: TurnContext, flow: SupportFlow, state: SupportState, visitor: VisitorInput): Promise<TurnResult> {
  const t: Turn = { ctx, flow, state: { ...state, turn: state.turn + 1 }, lang: await visitorLang(ctx.input, visitor.text), replies: [], answers: [], needsHuman: false };
  const { text: said, value } = visitor;
  const clicked = typeof value === 'string' ? value : undefined;
  const typed = clicked === undefined;
  if (state.phase === 'done') {
    line(t, 'ended');
    return result(t, true);
  }
  if (state.phase === 'rating') return onRating(t, visitor);
  if (clicked === REPLY_VALUES.human || (typed && wantsHuman(said))) return handOff(t);
  if (state.phase === 'offer') {
    if (clicked === REPLY_VALUES.yes || (typed && isYes(said))) return handOff(t);
    if (clicked === REPLY_VALUES.no || (typed && isNo(said))) {
      t.state = { ...t.state, phase: 'chat' };
      line(t, 'offerDeclined');
      return result(t);
    }
  }
  // "great, thanks" right after "I don't know" is politeness, not "that solved it"
  if (typed && state.lastOutcome === 'declined' && isThanksOnly(said)) {
    t.state = { ...t.state, phase: t.flow.handoff.enabled && !t.state.handedOff ? 'offer' : 'chat' };
    const offer = t.state.phase === 'offer' ? yesNoOptions(text(t, 'humanButton'), text(t, 'noThanks')) : null;
    line(t, 'notSolved', offer);
    return result(t);
  }
  if (clicked === REPLY_VALUES.solved || (typed && (isGoodbye(said) || isStop(said)))) return askRating(t);
  if (clicked === REPLY_VALUES.another) {
    t.state = { ...t.state, phase: 'chat' };
    line(t, 'another');
    return result(t);
  }
  if (typed && isGreeting(said)) {
    line(t, 'greeting');
    return result(t);
  }
  return answerQuestion(t, said);
}
