import { afterEach, describe, expect, it } from 'vitest';
import { splitIntoChunks, startFakeOpenAI, type FakeOpenAI } from './fake-openai.ts';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('fake OpenAI server', () => {
  it('answers a non-streaming request with a chat.completion and records it', async () => {
    fake = await startFakeOpenAI(() => ({ kind: 'text', text: 'Hi there' }));
    const res = await post(`${fake.baseURL}/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'yo' }] });
    const json = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(json.choices[0]?.message.content).toBe('Hi there');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.path).toBe('/v1/chat/completions');
    expect(fake.requests[0]?.body).toMatchObject({ model: 'm' });
  });

  it('streams SSE chunks that concatenate to the text, then [DONE]', async () => {
    fake = await startFakeOpenAI(() => ({ kind: 'text', text: 'one two three' }));
    const res = await post(`${fake.baseURL}/chat/completions`, { model: 'm', stream: true, messages: [] });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const raw = await res.text();
    const events = raw.split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
    expect(events.at(-1)).toBe('[DONE]');
    const text = events
      .slice(0, -1)
      .map((e) => (JSON.parse(e) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('one two three');
  });

  it('fails with a scripted status and can switch responders', async () => {
    fake = await startFakeOpenAI(() => ({ kind: 'status', status: 503 }));
    expect((await post(`${fake.baseURL}/chat/completions`, {})).status).toBe(503);
    fake.setResponder(() => ({ kind: 'raw', body: 'not json' }));
    expect(await (await post(`${fake.baseURL}/chat/completions`, {})).text()).toBe('not json');
  });

  it('closes even while a request hangs', async () => {
    fake = await startFakeOpenAI(() => ({ kind: 'hang' }));
    const pending = post(`${fake.baseURL}/chat/completions`, {}).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    await fake.close();
    fake = undefined;
    expect(await pending).toBeInstanceOf(Error);
  });

  it('splits text into pieces that keep every character', () => {
    expect(splitIntoChunks('a  b c ').join('')).toBe('a  b c ');
    expect(splitIntoChunks('')).toEqual(['']);
  });
});
