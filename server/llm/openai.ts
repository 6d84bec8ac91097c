/**
 * LlmClient over any OpenAI-compatible endpoint, with the official openai client. Retries and
 * timeouts are ours rather than the SDK's so that every failure maps onto one LlmError cause and
 * a timeout covers the whole streamed reply, not just the response headers.
 */
import OpenAI from 'openai';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { Logger } from '../logger.ts';
import { LlmError, type CompletionRequest, type LlmClient, type LlmLane } from './types.ts';
import { createCircuit } from './circuit.ts';
import { createLimiter, type Limiter } from './limiter.ts';
import { withoutUnsupportedKeywords } from './strict-schema.ts';

export interface OpenAILlmOptions {
  apiKey?: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  maxRetries?: number;
  /** live visitor turns at once */
  concurrency?: number;
  /** background jobs (extraction) at once, in their own lane so they never delay a live turn */
  backgroundConcurrency?: number;
  /** first backoff delay; doubles per retry (tests shorten it) */
  retryBaseMs?: number;
  /** fail fast after repeated outages; false turns it off */
  circuit?: { failures: number; cooldownMs: number } | false;
  log: Logger;
}

const MAX_BACKOFF_MS = 8_000;
/** reasoning models spend completion tokens on thinking before the visible reply */
export const REASONING_HEADROOM_TOKENS = 2_000;

/** what a model's server may refuse: a parameter, or the `system` role (early o1 models want `developer`) */
type CompatParam = 'temperature' | 'max_tokens' | 'system_role';
interface Sent {
  temperature: boolean;
  maxTokens: boolean;
  system: boolean;
}

/** OpenAI's reasoning families (o1, o3, o4-mini, gpt-5...), also behind a provider prefix ("openai/o3") */
export function isReasoningModel(model: string): boolean {
  const name = model.toLowerCase().split('/').pop() ?? '';
  return /^o\d/.test(name) || /^gpt-5/.test(name);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isRetryable(err: LlmError): boolean {
  return err.failure === 'rate_limited' || err.failure === 'network' || (err.failure === 'http' && (err.status ?? 0) >= 500);
}

/** the server's own words for an HTTP error ("Unsupported parameter: 'temperature' ..."), not the SDK's wrapper */
function serverMessage(err: InstanceType<typeof OpenAI.APIError>): string {
  const body: unknown = err.error;
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') return body.message;
  return err.message.replace(/^\d{3}\s+/, '');
}

function toLlmError(err: unknown, timedOut: boolean): LlmError {
  if (err instanceof LlmError) return err;
  if (timedOut || err instanceof OpenAI.APIConnectionTimeoutError) return new LlmError('timeout', 'the model did not answer in time');
  if (err instanceof OpenAI.APIUserAbortError) return new LlmError('timeout', 'the call was aborted');
  if (err instanceof OpenAI.APIConnectionError) return new LlmError('network', err.message);
  if (err instanceof OpenAI.APIError) {
    const status = err.status ?? 0;
    const text = `model server answered HTTP ${status}: ${serverMessage(err)}`;
    if (status === 429) return new LlmError('rate_limited', text, 429);
    return new LlmError('http', text, status);
  }
  // JSON or SSE parse failures inside the SDK: the endpoint answered, but not in the protocol
  return new LlmError('malformed', err instanceof Error ? err.message : String(err));
}

/** which parameter a 400 says the model does not take, if it is one we can leave out */
function rejectedParam(err: LlmError, sent: Sent): CompatParam | null {
  if (err.failure !== 'http' || err.status !== 400) return null;
  if (sent.system && /\brole\b/i.test(err.message) && /'system'|"system"|\bsystem\b/.test(err.message)) return 'system_role';
  if (sent.temperature && /\btemperature\b/i.test(err.message)) return 'temperature';
  if (sent.maxTokens && /\bmax_tokens\b/.test(err.message)) return 'max_tokens';
  return null;
}

export function createOpenAILlm(opts: OpenAILlmOptions): LlmClient {
  const client = new OpenAI({
    apiKey: opts.apiKey ?? 'not-needed',
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
    maxRetries: 0,
    timeout: opts.timeoutMs,
  });
  const lanes: Record<LlmLane, Limiter> = { live: createLimiter(opts.concurrency ?? 4), background: createLimiter(opts.backgroundConcurrency ?? 4) };
  const maxRetries = opts.maxRetries ?? 2;
  const retryBaseMs = opts.retryBaseMs ?? 250;
  const circuit = opts.circuit === false ? null : createCircuit(opts.circuit ?? { failures: 3, cooldownMs: 30_000 });
  /** parameters a model's server rejected with a 400, remembered per model so each is tried once */
  const rejectedBy = new Map<string, Set<CompatParam>>();

  function params(req: CompletionRequest): { params: ChatCompletionCreateParams; sent: Sent } {
    const rejected = rejectedBy.get(opts.model);
    const reasoning = isReasoningModel(opts.model);
    const completionTokens = reasoning || rejected?.has('max_tokens') === true;
    const temperature = req.temperature !== undefined && !reasoning && rejected?.has('temperature') !== true;
    const tokens =
      req.maxTokens === undefined
        ? {}
        : completionTokens
          ? { max_completion_tokens: req.maxTokens + REASONING_HEADROOM_TOKENS }
          : { max_tokens: req.maxTokens };
    return {
      params: {
        model: opts.model,
        // the instructions keep their own role either way: visitor text never moves into them
        messages: rejected?.has('system_role') ? req.messages.map((m) => (m.role === 'system' ? { role: 'developer' as const, content: m.content } : m)) : req.messages,
        ...tokens,
        ...(temperature ? { temperature: req.temperature } : {}),
        ...(req.responseFormat
          ? {
              response_format: {
                type: 'json_schema',
                json_schema: { name: req.responseFormat.name, schema: withoutUnsupportedKeywords(req.responseFormat.schema), strict: true },
              },
            }
          : {}),
      },
      sent: {
        temperature,
        maxTokens: req.maxTokens !== undefined && !completionTokens,
        system: rejected?.has('system_role') !== true && req.messages.some((m) => m.role === 'system'),
      },
    };
  }

  async function once(req: CompletionRequest, timeoutMs: number): Promise<string> {
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    const cancel = () => abort.abort();
    req.signal?.addEventListener('abort', cancel, { once: true });
    const { params: body, sent } = params(req);
    const reqOpts = { signal: abort.signal, timeout: timeoutMs };
    try {
      let text = '';
      if (req.onDelta) {
        const stream = await client.chat.completions.create({ ...body, stream: true }, reqOpts);
        for await (const chunk of stream) {
          const piece = chunk.choices[0]?.delta?.content;
          if (piece) {
            text += piece;
            req.onDelta(piece);
          }
        }
        // the SDK ends a stream quietly when it is aborted: a cut-off reply must not pass as whole
        if (abort.signal.aborted) throw new LlmError('timeout', 'the model did not finish streaming in time');
      } else {
        const completion = await client.chat.completions.create({ ...body, stream: false }, reqOpts);
        text = completion.choices[0]?.message.content ?? '';
      }
      if (!text.trim()) throw new LlmError('malformed', 'the model returned no text');
      if (req.responseFormat) {
        try {
          JSON.parse(text);
        } catch {
          throw new LlmError('malformed', 'structured output is not JSON');
        }
      }
      return text;
    } catch (err) {
      const e = toLlmError(err, timedOut);
      const param = rejectedParam(e, sent);
      if (param) throw new ParamRejected(param, e);
      throw e;
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', cancel);
    }
  }

  return {
    model: opts.model,
    complete(req) {
      const budgetMs = req.timeoutMs ?? opts.timeoutMs;
      // one deadline for queueing, every attempt and the backoff between them
      const deadline = Date.now() + budgetMs;
      const laneName = req.lane ?? 'live';
      let streamed = false;
      const onDelta = req.onDelta;
      const tracked: CompletionRequest = onDelta
        ? {
            ...req,
            onDelta: (text) => {
              streamed = true;
              onDelta(text);
            },
          }
        : req;
      const cancelled = () => new LlmError('timeout', 'the call was cancelled by its caller');
      const run = async (): Promise<string> => {
        if (req.signal?.aborted) throw cancelled();
        circuit?.check();
        for (let attempt = 0; ; ) {
          const left = deadline - Date.now();
          if (left <= 0) throw new LlmError('timeout', `the model did not answer within ${budgetMs} ms`);
          try {
            const text = await once(tracked, left);
            circuit?.success();
            return text;
          } catch (err) {
            if (err instanceof ParamRejected) {
              // the model's server does not take this parameter: remember it, retry at once without it
              const set = rejectedBy.get(opts.model) ?? new Set<CompatParam>();
              set.add(err.param);
              rejectedBy.set(opts.model, set);
              opts.log.warn({ model: opts.model, param: err.param, status: 400, err: err.error.message }, 'model rejected a parameter; retrying without it');
              continue;
            }
            // the caller dropped the call: not the model's failure, nothing to retry
            if (req.signal?.aborted) throw cancelled();
            const e = toLlmError(err, false);
            const backoff = Math.min(MAX_BACKOFF_MS, retryBaseMs * 2 ** attempt) * (0.75 + Math.random() * 0.5);
            // a reply that already streamed text cannot be retried without showing it twice
            if (attempt >= maxRetries || !isRetryable(e) || streamed || backoff >= deadline - Date.now()) {
              circuit?.failure(e);
              if (e.failure === 'http' && e.status !== undefined && e.status < 500) {
                opts.log.error({ model: opts.model, status: e.status, err: e.message }, 'model server rejected the request');
              }
              throw e;
            }
            attempt++;
            opts.log.warn({ failure: e.failure, status: e.status, attempt, backoffMs: Math.round(backoff) }, 'llm call failed; retrying');
            await sleep(backoff);
          }
        }
      };
      return lanes[laneName](run, {
        deadline,
        onTimeout: () => new LlmError('timeout', `no free ${laneName} slot for the model within ${budgetMs} ms`),
      });
    },
  };
}

/** a 400 naming a parameter this model does not take (internal: retried without it) */
class ParamRejected extends Error {
  constructor(
    readonly param: CompatParam,
    readonly error: LlmError,
  ) {
    super(error.message);
  }
}
