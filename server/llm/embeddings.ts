/**
 * Embeddings over any OpenAI-compatible endpoint (`POST /v1/embeddings`: OpenAI, Ollama, vLLM),
 * added to an LlmClient as its optional `embed`. Whether the server offers the route is found
 * out by the first call and remembered by the caller (conversation/kb-embeddings.ts).
 */
import OpenAI from 'openai';
import { LlmError, type LlmClient } from './types.ts';

export interface EmbeddingOptions {
  apiKey?: string;
  baseURL?: string;
  /** e.g. text-embedding-3-small (OpenAI), nomic-embed-text (Ollama) */
  model: string;
  timeoutMs: number;
}

export function createEmbedder(opts: EmbeddingOptions): (texts: string[]) => Promise<number[][]> {
  const client = new OpenAI({ apiKey: opts.apiKey ?? 'not-needed', ...(opts.baseURL ? { baseURL: opts.baseURL } : {}), maxRetries: 0, timeout: opts.timeoutMs });
  return async (texts) => {
    try {
      const res = await client.embeddings.create({ model: opts.model, input: texts, encoding_format: 'float' });
      const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      if (vectors.length !== texts.length || vectors.some((v) => !Array.isArray(v) || v.length === 0)) throw new LlmError('malformed', 'embeddings do not match the input');
      return vectors;
    } catch (err) {
      if (err instanceof LlmError) throw err;
      if (err instanceof OpenAI.APIConnectionTimeoutError) throw new LlmError('timeout', 'embeddings did not answer in time');
      if (err instanceof OpenAI.APIConnectionError) throw new LlmError('network', err.message);
      if (err instanceof OpenAI.APIError) throw new LlmError(err.status === 429 ? 'rate_limited' : 'http', err.message, err.status);
      throw new LlmError('malformed', err instanceof Error ? err.message : String(err));
    }
  };
}

/** the client (a plain object, every member kept) with `embed` added */
export function withEmbeddings(llm: LlmClient, embed: (texts: string[]) => Promise<number[][]>): LlmClient {
  return { ...llm, embed };
}
