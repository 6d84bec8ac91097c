/**
 * LlmClient over any OpenAI-compatible endpoint, with the official openai client. Retries and
 * timeouts are ours rather than the SDK's so that every failure maps onto one LlmError cause and
 * a timeout covers the whole streamed reply, not just the response headers.
 */
import OpenAI from 'openai';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { Logger } from '../logger.ts';
import { LlmError, type CompletionRequest, type LlmClient } from './types.ts';
import { createCircuit } from './circuit.ts';
import { createLimiter } from './limiter.ts';

export interface OpenAILlmOptions {
  apiKey?: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  maxRetries?: number;
  concurrency?: number;
  /** first backoff delay; doubles per retry (tests shorten it) */
  retryBaseMs?: number;
  /** fail fast after repeated outages; false turns it off */
  circuit?: { failures: number; cooldownMs: number } | false;
  log: Logger;
}

const MAX_BACKOFF_MS = 8_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isRetryable(err: LlmError): boolean {
  return err.failure === 'rate_limited' || err.failure === 'network' || (err.failure === 'http' && (err.status ?? 0) >= 500);
}

function toLlmError(err: unknown, timedOut: boolean): LlmError {
  if (err instanceof LlmError) return err;
  if (timedOut || err instanceof OpenAI.APIConnectionTimeoutError) return new LlmError('timeout', 'the model did not answer in time');
  if (err instanceof OpenAI.APIUserAbortError) return new LlmError('timeout', 'the call was aborted');
  if (err instanceof OpenAI.APIConnectionError) return new LlmError('network', err.message);
  if (err instanceof OpenAI.APIError) {
    if (err.status === 429) return new LlmError('rate_limited', err.message, 429);
    return new LlmError('http', err.message, err.status);
  }
  // JSON or SSE parse failures inside the SDK: the endpoint answered, but not in the protocol
  return new LlmError('malformed', err instanceof Error ? err.message : String(err));
}

export function createOpenAILlm(opts: OpenAILlmOptions): LlmClient {
  const client = new OpenAI({
    apiKey: opts.apiKey ?? 'not-needed',
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
    maxRetries: 0,
    timeout: opts.timeoutMs,
  });
  const limit = createLimiter(opts.concurrency ?? 4);
  const maxRetries = opts.maxRetries ?? 2;
  const retryBaseMs = opts.retryBaseMs ?? 250;
  const circuit = opts.circuit === false ? null : createCircuit(opts.circuit ?? { failures: 3, cooldownMs: 30_000 });

  async function once(req: CompletionRequest): Promise<string> {
    const timeoutMs = req.timeoutMs ?? opts.timeoutMs;
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    const params: ChatCompletionCreateParams = {
      model: opts.model,
      messages: req.messages,
      ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      ...(req.responseFormat
        ? { response_format: { type: 'json_schema', json_schema: { name: req.responseFormat.name, schema: req.responseFormat.schema, strict: true } } }
        : {}),
    };
    const reqOpts = { signal: abort.signal, timeout: timeoutMs };
    try {
      let text = '';
      if (req.onDelta) {
        const stream = await client.chat.completions.create({ ...params, stream: true }, reqOpts);
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
        const completion = await client.chat.completions.create({ ...params, stream: false }, reqOpts);
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
      throw toLlmError(err, timedOut);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    model: opts.model,
    complete(req) {
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
      return limit(async () => {
        circuit?.check();
        for (let attempt = 0; ; attempt++) {
          try {
            const text = await once(tracked);
            circuit?.success();
            return text;
          } catch (err) {
            const e = toLlmError(err, false);
            // a reply that already streamed text cannot be retried without showing it twice
            if (attempt >= maxRetries || !isRetryable(e) || streamed) {
              circuit?.failure(e);
              throw e;
            }
            const backoff = Math.min(MAX_BACKOFF_MS, retryBaseMs * 2 ** attempt) * (0.75 + Math.random() * 0.5);
            opts.log.warn({ failure: e.failure, status: e.status, attempt: attempt + 1, backoffMs: Math.round(backoff) }, 'llm call failed; retrying');
            await sleep(backoff);
          }
        }
      });
    },
  };
}
