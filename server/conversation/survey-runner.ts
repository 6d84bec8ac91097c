/**
 * A survey as a state machine: ask the next eligible question, read the reply (offline, and with
 * an LLM also by the model, reconciled), ask back in the visitor's language when unsure, probe thin
 * answers, and finish with the outro. "stop" ends the survey and keeps every answer given so far.
 */
import type { Answer, AnswerValue, Question, SurveyFlow } from '../../shared/flow.ts';
import type { ReplyOptions } from '../../shared/message.ts';
import { readAnswer, type Reading } from './answer-parsing.ts';
import { isEligible } from './conditions.ts';
import type { BotReply, TurnResult, VisitorInput } from './engine-types.ts';
import { newSurveyState, type SurveyState } from './engine-state.ts';
import { isNo, isSkip, isStop, isYes, REPLY_VALUES, wantsHuman } from './intents.ts';
import { readWithModel, say } from './llm-turns.ts';
import * as phrase from './phrasing.ts';
import { probeReason, type ProbeReason } from './probes.ts';
import { askQuestionTask, isEnglish, probeTask, restateTask } from './prompts.ts';
import * as clarify from './clarify-phrasing.ts';
import { reconcile } from './reading-reconcile.ts';
import { isWidgetLang, languageOf, widgetLangOf } from '../text/language.ts';
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import { questionOptions as buttonsOf } from './question-options.ts';
import type { TurnContext } from './turn-context.ts';

/** End labels of each rating scale when the owner gave none (only NPS lets the owner name them). */
const DEFAULT_SCALE_ENDS: Record<'nps' | 'csat' | 'ces' | 'stars', { low: string; high: string }> = {
  nps: { low: 'Not likely', high: 'Very likely' },
  csat: { low: 'Very dissatisfied', high: 'Very satisfied' },
  ces: { low: 'Very difficult', high: 'Very easy' },
  stars: { low: 'Very dissatisfied', high: 'Very satisfied' },
};

// owners write labels to fit inside a sentence ("from 0 (not at all likely)"); under a button they start a line
const label = (given: string | undefined, fallback: string) => {
  const text = given?.trim().slice(0, 100) || fallback;
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** The question's buttons; a rating scale also names its two ends so the widget can show them. */
export function questionOptions(q: Question): ReplyOptions | null {
  const reply = buttonsOf(q);
  if (!reply) return null;
  switch (q.type) {
    case 'nps':
      return { ...reply, scale: { low: label(q.lowLabel, DEFAULT_SCALE_ENDS.nps.low), high: label(q.highLabel, DEFAULT_SCALE_ENDS.nps.high) } };
    case 'csat':
    case 'ces':
      // the ends are named under the row, so the end buttons are bare numbers like the rest (and fit in one row)
      return { ...reply, options: reply.options.map((o) => ({ label: o.value, value: o.value })), scale: DEFAULT_SCALE_ENDS[q.type] };
    case 'stars':
      return { ...reply, scale: DEFAULT_SCALE_ENDS[q.type] };
    default:
      return reply;
  }
}

interface Turn {
  ctx: TurnContext;
  flow: SurveyFlow;
  state: SurveyState;
  /** answers stored before this turn plus those given in it, by question id */
  answers: Map<string, Answer>;
  changed: Answer[];
  replies: BotReply[];
  needsHuman: boolean;
  /** the last text whose language was told, and that language */
  told?: { text: string; lang: WidgetLang };
}

async function openTurn(ctx: TurnContext, flow: SurveyFlow, state: SurveyState): Promise<Turn> {
  const stored = await ctx.input.answers();
  return { ctx, flow, state: { ...state, turn: state.turn + 1 }, answers: new Map(stored.map((a) => [a.questionId, a])), changed: [], replies: [], needsHuman: false };
}

function result(t: Turn, completed = false): TurnResult {
  return { replies: t.replies, state: t.state, answers: t.changed, completed, needsHuman: t.needsHuman };
}

function record(t: Turn, q: Question, value: AnswerValue, raw: string): Answer {
  const answer: Answer = { questionId: q.id, type: q.type, value, raw, elaborations: [], answeredAt: Date.now() };
  t.answers.set(q.id, answer);
  t.changed = [...t.changed.filter((a) => a.questionId !== q.id), answer];
  return answer;
}

/** the first question after `afterId` (or from the start) whose conditions hold and that has no answer yet */
function nextQuestion(t: Turn, afterId: string | null): Question | null {
  const start = afterId === null ? 0 : t.flow.questions.findIndex((q) => q.id === afterId) + 1;
  const answers = [...t.answers.values()];
  return t.flow.questions.slice(Math.max(0, start)).find((q) => !t.answers.has(q.id) && isEligible(q, answers)) ?? null;
}

/** fixed text (the owner's or ours): verbatim in English, restated by the LLM in other languages */
async function line(t: Turn, text: string, reply: ReplyOptions | null): Promise<void> {
  t.replies.push(isEnglish(t.ctx.input.locale) ? { text, reply } : await say(t.ctx, restateTask(text), text, reply, { history: false }));
}

async function ask(t: Turn, q: Question, lead: string | null): Promise<void> {
  t.state = { ...t.state, current: q.id, mode: 'answer', probes: 0, misses: 0, candidate: undefined, candidateRaw: undefined };
  const offline = lead && !phrase.opensWithAck(q.prompt) ? `${lead} ${q.prompt}` : q.prompt;
  t.replies.push(await say(t.ctx, askQuestionTask(q, lead !== null), offline, questionOptions(q)));
}

async function finish(t: Turn, lead: string | null): Promise<TurnResult> {
  t.state = { ...t.state, current: null, mode: 'answer', done: true, candidate: undefined, candidateRaw: undefined };
  await line(t, lead ? `${lead} ${t.flow.outro}` : t.flow.outro, null);
  return result(t, true);
}

async function advance(t: Turn, from: string | null, lead: string | null): Promise<TurnResult> {
  const next = nextQuestion(t, from);
  if (!next) return finish(t, lead);
  await ask(t, next, lead);
  return result(t);
}

async function stop(t: Turn): Promise<TurnResult> {
  t.state = { ...t.state, current: null, done: true, candidate: undefined, candidateRaw: undefined };
  await line(t, phrase.stoppedIn(visitorLang(t, '')), null);
  return result(t, true);
}

async function askProbe(t: Turn, q: Question, reason: ProbeReason): Promise<TurnResult> {
  t.state = { ...t.state, mode: 'probe' };
  const latest = (await t.ctx.input.history()).filter((m) => m.author === 'visitor').at(-1)?.text ?? '';
  const offline = phrase.probe(reason, q.probe?.prompt, t.state.turn, visitorLang(t, latest));
  t.replies.push(await say(t.ctx, probeTask(q, reason), offline, { options: [], multiple: false, skippable: true }));
  return result(t);
}

async function answered(t: Turn, q: Question, value: AnswerValue, raw: string): Promise<TurnResult> {
  const answer = record(t, q, value, raw);
  const reason = probeReason(q, answer, 0);
  if (reason) return askProbe(t, q, reason);
  return advance(t, q.id, phrase.acknowledge(q, value, t.state.turn, { text: raw, lang: visitorLang(t, raw) }));
}

/** the visitor's language: their text's when it can be told, else the widget's locale */
function visitorLang(t: Turn, text: string): WidgetLang {
  // a turn often asks about the same text twice (reading the answer, then acknowledging it)
  if (t.told?.text !== text) t.told = { text, lang: languageOf(text, widgetLangOf(t.ctx.input.locale)) };
  return t.told.lang;
}

/**
 * An ask-back line: already in the visitor's language for the widget's four; for any other
 * locale the English line is restated by the model (when there is one), like other fixed text.
 */
async function askBack(t: Turn, text: string, reply: ReplyOptions | null): Promise<void> {
  const base = t.ctx.input.locale.slice(0, 2).toLowerCase();
  if (isWidgetLang(base) || isEnglish(t.ctx.input.locale)) t.replies.push({ text, reply });
  else await line(t, text, reply);
}

async function onReading(t: Turn, q: Question, reading: Reading, raw: string, lang: WidgetLang): Promise<TurnResult> {
  switch (reading.kind) {
    case 'stop':
      return stop(t);
    case 'skip':
      if (q.optional) return answered(t, q, null, raw);
      await line(t, phrase.cannotSkip(q), questionOptions(q));
      return result(t);
    case 'unclear':
      t.state = { ...t.state, misses: t.state.misses + 1 };
      // an optional question is not worth a loop: after three tries, move on
      if (q.optional && t.state.misses >= 3) return answered(t, q, null, raw);
      await askBack(t, clarify.askAgain(q, lang, reading), questionOptions(q));
      return result(t);
    case 'value':
      if (reading.confident) return answered(t, q, reading.value, raw);
      t.state = { ...t.state, mode: 'confirm', candidate: reading.value, candidateRaw: raw };
      await askBack(t, clarify.confirmReading(q, reading.value, lang), clarify.confirmOptions(lang));
      return result(t);
  }
}

/** a bare number ("8", "10!") needs no model: the offline reader is exact there */
const isBareNumber = (text: string) => /^\s*\d{1,3}\s*[.!]*\s*$/.test(text);

/**
 * A typed answer: read offline, and with a model configured also by the model (every free-text
 * answer that is not a click or a bare number), then reconciled: disagreement or an unsure model
 * asks back. A clicked quick reply is exact and never goes to the model.
 */
/** the offline reading, and whether the model should read the answer too */
function readOffline(t: Turn, q: Question, visitor: VisitorInput, lang: WidgetLang): { offline: Reading; ask: boolean } {
  const offline = readAnswer(q, visitor.text, visitor.value, { lang });
  const clicked = visitor.value !== undefined && (Array.isArray(visitor.value) ? visitor.value.length > 0 : visitor.value !== '');
  if (clicked && offline.kind !== 'unclear') return { offline, ask: false };
  return { offline, ask: !(offline.kind === 'stop' || offline.kind === 'skip' || isBareNumber(visitor.text) || !t.ctx.llm) };
}

async function readTyped(t: Turn, q: Question, visitor: VisitorInput, lang: WidgetLang): Promise<Reading> {
  const { offline, ask } = readOffline(t, q, visitor, lang);
  return ask ? reconcile(offline, await readWithModel(t.ctx, q, visitor.text)) : offline;
}

/** the reconciled reading stores exactly what the offline one would */
const keepsOffline = (offline: Reading, reconciled: Reading) =>
  offline.kind === 'value' && reconciled.kind === 'value' && offline.confident === true && reconciled.confident === true && JSON.stringify(offline.value) === JSON.stringify(reconciled.value);

/**
 * A typed answer, read and answered. When the offline reader is sure and the model reads the
 * answer too, the turn that follows from the offline reading (acknowledgement, next question,
 * streamed by the model) is written while the model reads, so the next question's stream does not
 * wait for the reading: its pieces are held back until the reading is in. The model agreeing (the
 * usual case) releases them; a disagreement drops that turn, aborts its request, and the turn is
 * written from the reconciled reading (an ask-back), exactly as without the head start.
 */
async function readAndReply(t: Turn, q: Question, visitor: VisitorInput, lang: WidgetLang): Promise<TurnResult> {
  const { offline, ask } = readOffline(t, q, visitor, lang);
  const llm = t.ctx.llm;
  if (!ask || !llm || offline.kind !== 'value' || !offline.confident) {
    return onReading(t, q, ask ? reconcile(offline, await readWithModel(t.ctx, q, visitor.text)) : offline, visitor.text, lang);
  }
  const held = holdDeltas(t.ctx.input.onDelta);
  const abort = new AbortController();
  const ahead: Turn = {
    ...t,
    ctx: {
      ...t.ctx,
      input: { ...t.ctx.input, ...(held.onDelta ? { onDelta: held.onDelta } : {}) },
      llm: { model: llm.model, complete: (req) => llm.complete({ ...req, signal: abort.signal }) },
    },
    answers: new Map(t.answers),
    changed: [...t.changed],
    replies: [...t.replies],
  };
  const written = onReading(ahead, q, offline, visitor.text, lang);
  // settled either way below; a dropped turn's failure is of no interest
  written.catch(() => undefined);
  const reading = reconcile(offline, await readWithModel(t.ctx, q, visitor.text));
  if (keepsOffline(offline, reading)) {
    held.release();
    return written;
  }
  held.drop();
  abort.abort();
  return onReading(t, q, reading, visitor.text, lang);
}

/** streamed pieces kept until release() (then passed on, in order) or drop() (then never shown) */
function holdDeltas(onDelta: ((draftId: string, text: string) => void) | undefined) {
  let mode: 'hold' | 'pass' | 'drop' = 'hold';
  const kept: [string, string][] = [];
  return {
    onDelta: onDelta
      ? (draftId: string, text: string) => {
          if (mode === 'pass') onDelta(draftId, text);
          else if (mode === 'hold') kept.push([draftId, text]);
        }
      : undefined,
    release() {
      mode = 'pass';
      for (const [draftId, text] of kept.splice(0)) onDelta?.(draftId, text);
    },
    drop() {
      mode = 'drop';
      kept.length = 0;
    },
  };
}

async function onAnswer(t: Turn, q: Question, visitor: VisitorInput): Promise<TurnResult> {
  const lang = visitorLang(t, visitor.text);
  const clicked = visitor.value !== undefined;
  // "can I talk to a person?" is not an answer to a closed question: flag it, keep the survey open
  if (!clicked && readAnswer(q, visitor.text, undefined, { lang }).kind === 'unclear' && wantsHuman(visitor.text)) {
    t.needsHuman = true;
    await line(t, `${phrase.humanRequestedIn(lang)} ${q.prompt}`, questionOptions(q));
    return result(t);
  }
  return readAndReply(t, q, visitor, lang);
}

async function onConfirm(t: Turn, q: Question, visitor: VisitorInput): Promise<TurnResult> {
  const { candidate, candidateRaw } = t.state;
  const lang = visitorLang(t, visitor.text);
  const typed = visitor.value === undefined;
  if (visitor.value === REPLY_VALUES.yes || (typed && (isYes(visitor.text) || clarify.confirmsYes(visitor.text)))) {
    if (candidate !== undefined) return answered(t, q, candidate, candidateRaw ?? visitor.text);
  }
  if (visitor.value === REPLY_VALUES.no || (typed && (isNo(visitor.text) || clarify.confirmsNo(visitor.text)))) {
    t.state = { ...t.state, mode: 'answer', candidate: undefined, candidateRaw: undefined };
    await askBack(t, clarify.askToCorrect(q, lang), questionOptions(q));
    return result(t);
  }
  // "no, more like a 6": a fresh answer replaces the unsure one, read (and asked back) like any other
  t.state = { ...t.state, mode: 'answer', candidate: undefined, candidateRaw: undefined };
  return readAndReply(t, q, visitor, lang);
}

async function onElaboration(t: Turn, q: Question, visitor: VisitorInput): Promise<TurnResult> {
  if (isStop(visitor.text)) return stop(t);
  const declined = visitor.value === REPLY_VALUES.skip || isSkip(visitor.text) || isNo(visitor.text);
  const existing = t.answers.get(q.id);
  const lang = visitorLang(t, visitor.text);
  if (declined || !existing) return advance(t, q.id, phrase.acknowledge(q, existing?.value ?? null, t.state.turn, { lang }));
  const updated: Answer = { ...existing, elaborations: [...existing.elaborations, visitor.text] };
  t.answers.set(q.id, updated);
  t.changed = [...t.changed.filter((a) => a.questionId !== q.id), updated];
  t.state = { ...t.state, probes: t.state.probes + 1 };
  const reason = probeReason(q, updated, t.state.probes);
  if (reason) return askProbe(t, q, reason);
  return advance(t, q.id, phrase.thanksForDetail(visitor.text, lang, t.state.turn));
}

export async function startSurvey(ctx: TurnContext, flow: SurveyFlow): Promise<TurnResult> {
  const t = await openTurn(ctx, flow, newSurveyState());
  if (flow.intro) await line(t, flow.intro, null);
  return advance(t, null, null);
}

export async function replySurvey(ctx: TurnContext, flow: SurveyFlow, state: SurveyState, visitor: VisitorInput): Promise<TurnResult> {
  const t = await openTurn(ctx, flow, state);
  if (state.done) {
    await line(t, phrase.finishedIn(visitorLang(t, visitor.text)), null);
    return result(t, true);
  }
  const q = flow.questions.find((x) => x.id === state.current);
  // the flow changed under us (or the state was lost): pick up at the next unanswered question
  if (!q) return advance(t, null, null);
  if (state.mode === 'confirm') return onConfirm(t, q, visitor);
  if (state.mode === 'probe') return onElaboration(t, q, visitor);
  return onAnswer(t, q, visitor);
}
