/**
 * The LLM's part of a turn, each with the offline result as its fallback: write a message
 * (streamed to the visitor), or read an answer with structured output. Any LlmError or unusable
 * output is logged with its cause and the offline result is used; the conversation goes on.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Question } from '../../shared/flow.ts';
import type { ReplyOptions } from '../../shared/message.ts';
import { LlmError, type ChatMessage, type LlmClient } from '../llm/types.ts';
import type { Reading } from './answer-parsing.ts';
import { scaleOf } from './answer-parsing.ts';
import type { BotReply } from './engine-types.ts';
import type { ModelReading } from './reading-reconcile.ts';
import { historyMessages, NO_ANSWER, personaPrompt, readAnswerTask } from './prompts.ts';
import type { TurnContext } from './turn-context.ts';

/** longer than any chat bubble should be: treat as a runaway reply */
const MAX_REPLY_CHARS = 1500;

function logFallback(ctx: TurnContext, task: string, err: unknown): void {
  const cause = err instanceof LlmError ? err.failure : 'unusable';
  ctx.log.warn(
    { conversationId: ctx.input.conversationId, task, cause, status: err instanceof LlmError ? err.status : undefined, err: err instanceof Error ? err.message : String(err) },
    'llm turn failed; served offline',
  );
}

async function messagesFor(ctx: TurnContext, task: string, withHistory: boolean): Promise<ChatMessage[]> {
  const { site, flow, locale, history } = ctx.input;
  return [{ role: 'system', content: `${personaPrompt(site, flow, locale)}\n\n${task}` }, ...(withHistory ? historyMessages(await history()) : [])];
}

/** text without surrounding space and closing punctuation, to compare with a sentinel */
const bare = (text: string) => text.trim().replace(/[.!\s]+$/, '');

type Generated =
  | { ok: true; text: string; draftId?: string }
  /** draftId: some text already reached the visitor under this id before the failure */
  | { ok: false; err: unknown; draftId?: string };

/**
 * Pieces of a speculative request, held until its context is confirmed (`open`: shown in order,
 * later ones pass straight through) or rejected (`drop`: never shown). `settled` resolves either way.
 */
class Hold {
  private held: { piece: string; to: (piece: string) => void }[] | null = [];
  private settle: () => void = () => undefined;
  readonly settled = new Promise<void>((resolve) => {
    this.settle = resolve;
  });
  pass(piece: string, to: (piece: string) => void): void {
    if (this.held) this.held.push({ piece, to });
    else to(piece);
  }
  open(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const h of held) h.to(h.piece);
    this.settle();
  }
  drop(): void {
    this.held = [];
    this.settle();
  }
}

/**
 * Streams a completion to the visitor. While the text so far could still be `sentinel`, pieces
 * are held back, so a model that declines with the sentinel never shows it. With `hold`, every
 * piece also waits for the hold to open, and the result is read only once it has settled.
 */
async function ask(llm: LlmClient, ctx: TurnContext, task: string, history: boolean, sentinel?: string, call: { hold?: Hold; signal?: AbortSignal } = {}): Promise<Generated> {
  // read before the request: a failed read fails the turn (an apology), it is no model failure
  const messages = await messagesFor(ctx, task, history);
  const draftId = randomUUID();
  const onDelta = ctx.input.onDelta;
  let streamed = false;
  let held = '';
  const forward = (piece: string) => {
    if (!onDelta) return;
    if (sentinel && !streamed) {
      held += piece;
      if (sentinel.startsWith(bare(held))) return;
      piece = held;
    }
    streamed = true;
    onDelta(draftId, piece);
  };
  const { hold, signal } = call;
  const delta = hold ? (piece: string) => hold.pass(piece, forward) : forward;
  let outcome: { text: string } | { err: unknown };
  try {
    const text = (
      await llm.complete({ messages, temperature: 0.4, maxTokens: 400, ...(onDelta ? { onDelta: delta } : {}), ...(signal ? { signal } : {}) })
    ).trim();
    if (!text || text.length > MAX_REPLY_CHARS) throw new Error(`unusable reply of ${text.length} characters`);
    outcome = { text };
  } catch (err) {
    outcome = { err };
  }
  // what reached the visitor is known only once held pieces were shown or dropped
  if (hold) await hold.settled;
  if ('text' in outcome) return streamed ? { ok: true, text: outcome.text, draftId } : { ok: true, text: outcome.text };
  return streamed ? { ok: false, err: outcome.err, draftId } : { ok: false, err: outcome.err };
}

/** a request sent before its context is final */
export interface Speculation {
  /** null: the request's context stands; a string: the task to ask instead */
  recheck: Promise<string | null>;
}

/**
 * A completion, or with `speculation` one whose context may still change: its pieces are held
 * until the recheck; then shown when the context stands, or the request is aborted (none of its
 * text is shown) and the new task is asked, streaming on its own.
 */
async function generate(llm: LlmClient, ctx: TurnContext, task: string, history: boolean, sentinel?: string, speculation?: Speculation): Promise<Generated> {
  if (!speculation) return ask(llm, ctx, task, history, sentinel);
  const hold = new Hold();
  const abort = new AbortController();
  const first = ask(llm, ctx, task, history, sentinel, { hold, signal: abort.signal });
  const retask = await speculation.recheck;
  if (retask === null) {
    hold.open();
    return first;
  }
  hold.drop();
  abort.abort();
  // `first` settles as cancelled and is never read: ask catches every failure
  void first;
  ctx.log.debug({ conversationId: ctx.input.conversationId }, 'speculative answer dropped: its context lacked a passage; asking again');
  return ask(llm, ctx, retask, history, sentinel);
}

/** the offline text, replacing a broken draft when one was shown */
function offline(ctx: TurnContext, task: string, g: Extract<Generated, { ok: false }>, text: string, reply: ReplyOptions | null): BotReply {
  logFallback(ctx, task, g.err);
  return g.draftId ? { text, reply, draftId: g.draftId } : { text, reply };
}

/**
 * A bot message written by the LLM and streamed through onDelta, or `fallback` offline. When a
 * stream broke after some text was shown, the offline reply keeps the draftId so it replaces
 * the partial draft.
 */
export async function say(ctx: TurnContext, task: string, fallback: string, reply: ReplyOptions | null, opts: { history?: boolean } = {}): Promise<BotReply> {
  if (!ctx.llm) return { text: fallback, reply };
  const g = await generate(ctx.llm, ctx, task, opts.history ?? true);
  if (!g.ok) return offline(ctx, 'say', g, fallback, reply);
  return g.draftId ? { text: g.text, reply, draftId: g.draftId } : { text: g.text, reply };
}

/**
 * A support answer written from the retrieved entries; 'declined' when the model says they do
 * not hold the answer; the offline answer when the model fails (null: the offline path has no
 * answer either, so 'declined'). `speculation`: the task may still change (see generate).
 */
export async function answerOrDecline(ctx: TurnContext, task: string, fallback: string | null, reply: ReplyOptions | null, speculation?: Speculation): Promise<BotReply | 'declined'> {
  if (!ctx.llm) return fallback === null ? 'declined' : { text: fallback, reply };
  const g = await generate(ctx.llm, ctx, task, true, NO_ANSWER, speculation);
  if (!g.ok) {
    if (fallback !== null) return offline(ctx, 'answer', g, fallback, reply);
    logFallback(ctx, 'answer', g.err);
    // a broken stream that showed some text is replaced by the "don't know" that follows
    return 'declined';
  }
  if (bare(g.text) === NO_ANSWER) return 'declined';
  return g.draftId ? { text: g.text, reply, draftId: g.draftId } : { text: g.text, reply };
}

const LlmReading = z.object({
  kind: z.enum(['value', 'skip', 'stop', 'unclear']),
  number: z.number().nullable(),
  choices: z.array(z.string()),
  yes: z.boolean().nullable(),
  confidence: z.number(),
});

/** strict structured output: every property required, nullable where unused, no extra properties */
export const READING_SCHEMA = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['value', 'skip', 'stop', 'unclear'] },
    number: { type: ['number', 'null'] },
    choices: { type: 'array', items: { type: 'string' } },
    yes: { type: ['boolean', 'null'] },
    confidence: { type: 'number' },
  },
  required: ['kind', 'number', 'choices', 'yes', 'confidence'],
  additionalProperties: false,
};

/** the model's reading, checked against the question; null when it does not fit */
function toReading(q: Question, r: z.infer<typeof LlmReading>): Reading | null {
  if (r.kind !== 'value') return { kind: r.kind };
  const scale = scaleOf(q);
  if (scale) {
    if (r.number === null) return null;
    // a half or a number outside the scale is a reading too: the visitor has not given a rating yet
    if (!Number.isInteger(r.number) || r.number < scale[0] || r.number > scale[1]) return { kind: 'unclear', why: 'out_of_range' };
    return { kind: 'value', value: r.number, confident: true };
  }
  switch (q.type) {
    case 'yes_no':
      return r.yes === null ? null : { kind: 'value', value: r.yes, confident: true };
    case 'single': {
      const c = q.choices.find((x) => x.value === r.choices[0]);
      return c && r.choices.length === 1 ? { kind: 'value', value: c.value, confident: true } : null;
    }
    case 'multiple': {
      const values = r.choices.filter((v) => q.choices.some((c) => c.value === v));
      return values.length === r.choices.length && values.length > 0 ? { kind: 'value', value: [...new Set(values)], confident: true } : null;
    }
    default:
      return null;
  }
}

/**
 * The model's reading of a typed answer with structured output and its confidence; null when
 * there is no model, the call fails, or the output does not fit the question (the caller then
 * keeps the offline reading). The visitor's words travel only as JSON data in a user message.
 */
export async function readWithModel(ctx: TurnContext, q: Question, text: string): Promise<ModelReading | null> {
  if (!ctx.llm || q.type === 'text') return null;
  try {
    const raw = await ctx.llm.complete({
      messages: [
        { role: 'system', content: readAnswerTask(q) },
        { role: 'user', content: JSON.stringify({ answer: text }) },
      ],
      temperature: 0,
      maxTokens: 200,
      responseFormat: { name: 'answer_reading', schema: READING_SCHEMA },
    });
    const parsed = LlmReading.safeParse(JSON.parse(raw));
    const reading = parsed.success ? toReading(q, parsed.data) : null;
    if (!parsed.success || !reading) throw new Error('structured reading does not fit the question');
    const confidence = Math.min(1, Math.max(0, parsed.data.confidence));
    return { reading, confidence };
  } catch (err) {
    logFallback(ctx, 'read', err);
    return null;
  }
}
