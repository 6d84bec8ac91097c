/**
 * A local OpenAI-compatible chat-completions server for tests and benchmarks. Each request is
 * answered by a scripted responder: stream text (SSE when the request asks for it), delay, fail
 * with a status, hang, or return malformed output. Every request is recorded for inspection.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  path: string;
  body: unknown;
}

export type FakeReply =
  /** delayMs: before the first byte; chunkDelayMs: between streamed chunks */
  | { kind: 'text'; text: string; delayMs?: number; chunkDelayMs?: number }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'hang' }
  | { kind: 'raw'; body: string; contentType?: string };

export type FakeResponder = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

/** vectors for `POST /v1/embeddings`, one per input text (a test may hold them back); null: the route answers 404; throwing: a 500 */
export type FakeEmbedder = (inputs: string[]) => number[][] | Promise<number[][]>;

export interface FakeOpenAI {
  /** ends with /v1, ready for the openai client's baseURL */
  baseURL: string;
  requests: FakeRequest[];
  setResponder(fn: FakeResponder): void;
  /** serve /v1/embeddings with this function (default: no such route, 404 like many servers); delayMs before answering */
  setEmbedder(fn: FakeEmbedder | null, opts?: { delayMs?: number }): void;
  close(): Promise<void>;
}

const defaultResponder: FakeResponder = () => ({ kind: 'text', text: 'Hello from the fake model.' });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Splits text into word-sized pieces that keep their spaces, so the pieces concatenate back. */
export function splitIntoChunks(text: string): string[] {
  const pieces = text.match(/\S+\s*|\s+/g);
  return pieces && pieces.length > 0 ? pieces : [text];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function wantsStream(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'stream' in body && body.stream === true;
}

function modelOf(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string') return body.model;
  return 'fake-model';
}

let counter = 0;

async function sendText(res: ServerResponse, body: unknown, reply: Extract<FakeReply, { kind: 'text' }>): Promise<void> {
  const id = `chatcmpl-fake-${++counter}`;
  const created = Math.floor(Date.now() / 1000);
  const model = modelOf(body);
  if (reply.delayMs) await sleep(reply.delayMs);
  if (res.destroyed) return;
  if (!wantsStream(body)) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.text, refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`;
  const pieces = splitIntoChunks(reply.text);
  for (let i = 0; i < pieces.length; i++) {
    if (i > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    if (res.destroyed) return;
    res.write(chunk(i === 0 ? { role: 'assistant', content: pieces[i] } : { content: pieces[i] }, null));
  }
  res.write(chunk({}, 'stop'));
  res.end('data: [DONE]\n\n');
}

/**
 * A deterministic toy embedding for tests: each word (lowercased, first five letters) is hashed
 * into one of `dims` buckets, so texts sharing words point the same way.
 */
export function bagOfWordsEmbedder(dims = 64): (inputs: string[]) => number[][] {
  return (inputs) =>
    inputs.map((text) => {
      const v = new Array<number>(dims).fill(0);
      for (const w of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
        let h = 0;
        for (const ch of w.slice(0, 5)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
        v[h % dims] = (v[h % dims] ?? 0) + 1;
      }
      return v;
    });
}

function embeddingInputs(body: unknown): string[] {
  const input = typeof body === 'object' && body !== null && 'input' in body ? body.input : undefined;
  if (typeof input === 'string') return [input];
  return Array.isArray(input) ? input.filter((x): x is string => typeof x === 'string') : [];
}

export async function startFakeOpenAI(respond: FakeResponder = defaultResponder): Promise<FakeOpenAI> {
  let responder = respond;
  let embedder: FakeEmbedder | null = null;
  let embedDelayMs = 0;
  const requests: FakeRequest[] = [];

  const server = createServer((req, res) => {
    void (async () => {
      const body = parseJson(await readBody(req));
      const record: FakeRequest = { path: req.url ?? '/', body };
      requests.push(record);
      if (record.path.endsWith('/embeddings')) {
        const inputs = embeddingInputs(body);
        if (embedder && embedDelayMs > 0) await sleep(embedDelayMs);
        const vectors = embedder ? await embedder(inputs) : null;
        if (res.destroyed) return;
        res.writeHead(vectors ? 200 : 404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            vectors
              ? { object: 'list', model: modelOf(body), data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })), usage: { prompt_tokens: 1, total_tokens: 1 } }
              : { error: { message: 'no such route', type: 'not_found' } },
          ),
        );
        return;
      }
      const reply = await responder(record);
      switch (reply.kind) {
        case 'text':
          await sendText(res, body, reply);
          return;
        case 'status':
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(reply.body ?? JSON.stringify({ error: { message: `fake status ${reply.status}`, type: 'fake_error' } }));
          return;
        case 'raw':
          res.writeHead(200, { 'content-type': reply.contentType ?? 'application/json' });
          res.end(reply.body);
          return;
        case 'hang':
          // never answer; close() destroys the socket
          return;
      }
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    setResponder(fn) {
      responder = fn;
    },
    setEmbedder(fn, opts = {}) {
      embedder = fn;
      embedDelayMs = opts.delayMs ?? 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * What OpenAI answers when a reasoning model (o1, o3, gpt-5...) is sent `max_tokens` or a
 * `temperature`: a 400 naming the parameter. Compose into a responder:
 * `(req) => rejectLikeReasoningModel(req, /^o3/) ?? normalReply`.
 */
export function rejectLikeReasoningModel(req: FakeRequest, model: RegExp): FakeReply | null {
  const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
  if (!model.test(modelOf(body))) return null;
  const error = (param: string, code: string, message: string): FakeReply => ({
    kind: 'status',
    status: 400,
    body: JSON.stringify({ error: { message, type: 'invalid_request_error', param, code } }),
  });
  if ('max_tokens' in body) return error('max_tokens', 'unsupported_parameter', "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.");
  if ('temperature' in body) return error('temperature', 'unsupported_value', "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.");
  return null;
}
