/**
 * The LLM's part of a turn, each with the offline result as its fallback: write a message
 * (streamed to the visitor), or read an answer with structured output. Any LlmError or unusable
 * output is logged with its cause and the offline result is used; the conversation goes on.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Question } from '../../shared/flow.ts';
import type { ReplyOptions } from '../../shared/message.ts';
import { LlmError, type ChatMessage } from '../llm/types.ts';
import type { Reading } from './answer-parsing.ts';
import { scaleOf } from './answer-parsing.ts';
import type { BotReply } from './engine-types.ts';
import { historyMessages, personaPrompt, readAnswerTask } from './prompts.ts';
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

function messagesFor(ctx: TurnContext, task: string, withHistory: boolean): ChatMessage[] {
  const { site, flow, locale, history } = ctx.input;
  return [{ role: 'system', content: `${personaPrompt(site, flow, locale)}\n\n${task}` }, ...(withHistory ? historyMessages(history) : [])];
}

/**
 * A bot message written by the LLM and streamed through onDelta, or `fallback` offline. When a
 * stream broke after some text was shown, the offline reply keeps the draftId so it replaces
 * the partial draft.
 */
export async function say(ctx: TurnContext, task: string, fallback: string, reply: ReplyOptions | null, opts: { history?: boolean } = {}): Promise<BotReply> {
  if (!ctx.llm) return { text: fallback, reply };
  const draftId = randomUUID();
  const onDelta = ctx.input.onDelta;
  let streamed = false;
  try {
    const text = (
      await ctx.llm.complete({
        messages: messagesFor(ctx, task, opts.history ?? true),
        temperature: 0.4,
        maxTokens: 400,
        ...(onDelta
          ? {
              onDelta: (piece: string) => {
                streamed = true;
                onDelta(draftId, piece);
              },
            }
          : {}),
      })
    ).trim();
    if (!text || text.length > MAX_REPLY_CHARS) throw new Error(`unusable reply of ${text.length} characters`);
    return streamed ? { text, reply, draftId } : { text, reply };
  } catch (err) {
    logFallback(ctx, 'say', err);
    return streamed ? { text: fallback, reply, draftId } : { text: fallback, reply };
  }
}

const LlmReading = z.object({
  kind: z.enum(['value', 'skip', 'stop', 'unclear']),
  number: z.number().nullable(),
  choices: z.array(z.string()),
  yes: z.boolean().nullable(),
  confident: z.boolean(),
});

const READING_SCHEMA = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['value', 'skip', 'stop', 'unclear'] },
    number: { type: ['number', 'null'] },
    choices: { type: 'array', items: { type: 'string' } },
    yes: { type: ['boolean', 'null'] },
    confident: { type: 'boolean' },
  },
  required: ['kind', 'number', 'choices', 'yes', 'confident'],
  additionalProperties: false,
};

/** the model's reading, checked against the question; null when it does not fit */
function toReading(q: Question, r: z.infer<typeof LlmReading>): Reading | null {
  if (r.kind !== 'value') return { kind: r.kind };
  const scale = scaleOf(q);
  if (scale) {
    if (r.number === null || !Number.isFinite(r.number)) return null;
    const n = Math.round(r.number);
    return n >= scale[0] && n <= scale[1] ? { kind: 'value', value: n, confident: r.confident } : null;
  }
  switch (q.type) {
    case 'yes_no':
      return r.yes === null ? null : { kind: 'value', value: r.yes, confident: r.confident };
    case 'single': {
      const c = q.choices.find((x) => x.value === r.choices[0]);
      return c ? { kind: 'value', value: c.value, confident: r.confident } : null;
    }
    case 'multiple': {
      const values = r.choices.filter((v) => q.choices.some((c) => c.value === v));
      return values.length === r.choices.length && values.length > 0 ? { kind: 'value', value: [...new Set(values)], confident: r.confident } : null;
    }
    default:
      return null;
  }
}

/** Reads a typed answer with structured output; `offline` when the model fails or answers nonsense. */
export async function readWithLlm(ctx: TurnContext, q: Question, text: string, offline: Reading): Promise<Reading> {
  if (!ctx.llm || q.type === 'text') return offline;
  try {
    const raw = await ctx.llm.complete({
      messages: [
        { role: 'system', content: readAnswerTask(q) },
        { role: 'user', content: text },
      ],
      temperature: 0,
      maxTokens: 200,
      responseFormat: { name: 'answer_reading', schema: READING_SCHEMA },
    });
    const parsed = LlmReading.safeParse(JSON.parse(raw));
    const reading = parsed.success ? toReading(q, parsed.data) : null;
    if (!reading) throw new Error('structured reading does not fit the question');
    return reading;
  } catch (err) {
    logFallback(ctx, 'read', err);
    return offline;
  }
}
