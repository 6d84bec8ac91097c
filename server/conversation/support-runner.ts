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
import type { Answer, KbEntry, Question, SupportFlow } from '../../shared/flow.ts';
import type { ReplyOptions } from '../../shared/message.ts';
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import { readAnswer } from './answer-parsing.ts';
import type { BotReply, TurnResult, VisitorInput } from './engine-types.ts';
import { newSupportState, type SupportState } from './engine-state.ts';
import { isGoodbye, isGreeting, isNo, isStop, isThanksOnly, isYes, REPLY_VALUES, wantsHuman } from './intents.ts';
import { relevantText } from './kb-answer.ts';
import { embeddingsSupported, fuse, rankByEmbedding, rankByEntry } from './kb-embeddings.ts';
import { retrieve, type Retrieval } from './kb-retrieval.ts';
import type { KbHit } from './knowledge-base.ts';
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
 * Lexical candidates a speculative answer request carries: a few more than PASSAGES, so that it
 * usually already holds every passage hybrid ranking picks.
 */
const SPECULATIVE_PASSAGES = PASSAGES + 2;
/**
 * A knowledge base whose entries total at most this many characters (about 1.5k tokens) goes
 * whole into a speculative request, lexical candidates first: hybrid ranking then cannot pick a
 * passage it lacks. Without it, a question with fewer than PASSAGES lexical hits is padded by
 * embedding neighbours no lexical set predicts and is asked twice, and one with none waits for
 * its embedding (on the evaluation set: 13% and 8% of questions). The price: on such a turn the
 * model reads the whole (small) knowledge base rather than the top PASSAGES.
 */
export const WHOLE_KB_CHARS = 6_000;

/** a sum over the entries: no more work than the search itself */
function fitsWhole(entries: KbEntry[]): boolean {
  let chars = 0;
  for (const e of entries) {
    chars += e.title.length + e.body.length;
    if (chars > WHOLE_KB_CHARS) return false;
  }
  return true;
}

/** what a speculative request carries */
function speculative(found: Retrieval, entries: KbEntry[]): KbHit[] {
  // fewer lexical hits than PASSAGES: hybrid ranking pads them with embedding neighbours no
  // lexical set predicts, so a request sent now would nearly always be aborted and paid for twice
  if (!fitsWhole(entries)) return found.hits.length >= PASSAGES ? found.hits.slice(0, SPECULATIVE_PASSAGES) : [];
  const lexical = new Set(found.hits.map((h) => h.entry.id));
  return [...found.hits, ...entries.filter((e) => !lexical.has(e.id)).map((entry) => ({ entry, score: 0, matched: [], coverage: 0, mass: 0 }))];
}

type Passages =
  /** hits: the final passages */
  | { kind: 'final'; found: Retrieval; hits: KbHit[] }
  /** hits: what the answer is asked with now; hybrid: the final passages (the lexical ones when embedding fails) */
  | { kind: 'speculative'; found: Retrieval; hits: KbHit[]; hybrid: Promise<KbHit[]> };

/**
 * The passages to answer from: BM25 with memory, fused with embedding neighbours when available.
 * When the offline reader already knows the entry, its neighbours come from cached vectors with
 * no request. Otherwise the question is embedded while the answer is already asked for with the
 * best lexical candidates, or the whole knowledge base when it is small (`hybrid` tells whether
 * they hold what hybrid ranking picks); only a question no keyword finds in a larger knowledge
 * base waits for its embedding.
 */
async function passages(t: Turn, question: string): Promise<Passages> {
  const { ctx } = t;
  const siteId = ctx.input.site.id;
  await ctx.kb.load(siteId);
  const found = retrieve(ctx.kb, siteId, question, t.lang, t.state.memory ?? null, undefined, ctx.llm ? 10 : PASSAGES);
  const lexical = found.hits.slice(0, PASSAGES);
  if (!ctx.llm) return { kind: 'final', found, hits: lexical };
  const entries = ctx.kb.entries(siteId);
  const byEntry = found.answer ? rankByEntry(ctx.llm, entries, found.answer.entry) : null;
  if (byEntry) return { kind: 'final', found, hits: fuse(found.hits, byEntry, PASSAGES) };
  if (embeddingsSupported(ctx.llm) === false) return { kind: 'final', found, hits: lexical };
  const hybrid = rankByEmbedding(ctx.llm, entries, found.query, ctx.log).then((ranked) => (ranked ? fuse(found.hits, ranked, PASSAGES) : lexical));
  const carried = speculative(found, entries);
  if (carried.length === 0) return { kind: 'final', found, hits: await hybrid };
  return { kind: 'speculative', found, hits: carried, hybrid };
}

/** every passage of `wanted` is among `carried` */
const carries = (carried: KbHit[], wanted: KbHit[]) => wanted.every((w) => carried.some((c) => c.entry.id === w.entry.id));

function offlineAnswer(t: Turn, found: Retrieval): string | null {
  const hit = found.answer;
  if (!hit) return null;
  return `${text(t, 'foundLead', { title: hit.entry.title })}\n\n${relevantText(hit.entry, found.query, t.lang)}`;
}

async function answerQuestion(t: Turn, question: string): Promise<TurnResult> {
  const plan = await passages(t, question);
  const { found } = plan;
  const offline = offlineAnswer(t, found);
  const ctx = t.ctx.llm ? { ...t.ctx, input: { ...t.ctx.input, locale: t.lang } } : t.ctx;
  const task = (hits: KbHit[]) => supportAnswerTask(hits.map((h) => h.entry), t.lang);
  // the speculative request stands when it carried every passage hybrid ranking picked; else it is asked again with them
  const speculation = plan.kind === 'speculative' ? { recheck: plan.hybrid.then((final) => (carries(plan.hits, final) ? null : task(final))) } : undefined;
  const answer = plan.hits.length === 0 ? 'declined' : await answerOrDecline(ctx, task(plan.hits), offline, afterAnswerOptions(t), speculation);
  const hits = plan.kind === 'speculative' ? await plan.hybrid : plan.hits;
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
  t.state = { ...t.state, phase: 'chat', lastOutcome: 'answered', memory: { question: found.query, entryId: found.answer?.entry.id ?? hits[0]?.entry.id ?? null } };
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
