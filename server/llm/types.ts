/**
 * The one low-level LLM interface the rest of the server uses. openai.ts implements it with the
 * official openai client against any OpenAI-compatible endpoint. Offline behaviour is not a fake
 * LLM: callers (engine, extraction) hold an `LlmClient | null` and use their rule-based path when
 * it is null or when a call throws LlmError.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /** stream: called with each piece of text as it arrives; the full text is still returned */
  onDelta?: (text: string) => void;
  /** structured output: the reply must be JSON matching this JSON schema (strict) */
  responseFormat?: { name: string; schema: Record<string, unknown> };
  /** per-call timeout in ms (default from config); it covers queueing, every attempt and backoff */
  timeoutMs?: number;
  /** which concurrency lane: live visitor turns (default) or background jobs, so jobs never delay a turn */
  lane?: LlmLane;
  /** the caller no longer wants the reply (a turn written ahead and dropped): stop, no retry, not an outage */
  signal?: AbortSignal;
}

export type LlmLane = 'live' | 'background';

export type LlmFailure = 'timeout' | 'http' | 'network' | 'malformed' | 'rate_limited';

export class LlmError extends Error {
  constructor(
    readonly failure: LlmFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

export interface LlmClient {
  readonly model: string;
  /** the reply's text; throws LlmError on failure (after the client's own retries) */
  complete(req: CompletionRequest): Promise<string>;
  /**
   * One vector per text, from an OpenAI-compatible `/v1/embeddings`; absent when the client has
   * no embedding support. Throws LlmError (an `http` 404/400/501 when the server has no such route).
   */
  embed?(texts: string[]): Promise<number[][]>;
}

/** the same client with every call in `lane` (the composition root gives jobs the background lane) */
export function inLane(llm: LlmClient, lane: LlmLane): LlmClient {
  return { model: llm.model, complete: (req) => llm.complete({ ...req, lane }) };
}
