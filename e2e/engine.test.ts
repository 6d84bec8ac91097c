/**
 * The conversation engine through the real widget: the demo NPS survey answered partly by typing
 * free text, and the support flow answering from the demo knowledge base (offline LLM).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers/stack.ts';
import { WAIT_MS } from './helpers/widget.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

interface AnswerRow {
  question_id: string;
  value: string | null;
}

function answersOf(visitorText: string): Record<string, unknown> {
  const rows = stack.query<AnswerRow>(
    `SELECT question_id, value FROM answers WHERE conversation_id =
       (SELECT conversation_id FROM messages WHERE author = 'visitor' AND text = ? LIMIT 1)`,
    visitorText,
  );
  return Object.fromEntries(rows.map((r) => [r.question_id, r.value === null ? null : JSON.parse(r.value)]));
}

describe('demo flows end to end (offline engine)', () => {
  it('reads a typed NPS answer onto the scale and completes the survey', async () => {
    const { widget, errors } = await stack.visit();
    await widget.open();
    await widget.waitForBot('How likely are you to recommend');

    const typed = 'pretty good, an 8 I guess';
    await widget.send(typed);
    await widget.bubble(typed).getByText('Sent').waitFor({ timeout: WAIT_MS });
    // "I guess" hedges: the bot checks before it stores anything
    await widget.waitForBot(/would you put that at 8 out of 10/i);
    expect(answersOf(typed)).toEqual({});
    await widget.send('yes');
    // an 8 is a passive: the flow branches to "what would make it a 10"
    await widget.waitForBot('What would make it a 10');
    expect(answersOf(typed)).toMatchObject({ nps: 8 });

    const wish = 'Cheaper shipping to Canada and a faster checkout page';
    await widget.send(wish);
    await widget.waitForBot('How satisfied were you with the delivery');
    await widget.send('very satisfied, it came a day early');
    // words in a longer sentence are read, then checked ("would you put that at 5 out of 5?")
    await widget.waitForBot(/would you put that at 5 out of 5/i);
    await widget.send('yes');
    await widget.waitForBot("That's everything");
    await widget.dialog.getByText('This conversation has ended.').waitFor({ timeout: WAIT_MS });

    expect(answersOf(typed)).toMatchObject({ nps: 8, make_it_ten: wish, delivery_csat: 5 });
    const status = stack.query<{ status: string; end_reason: string }>(
      `SELECT c.status, c.end_reason FROM conversations c JOIN messages m ON m.conversation_id = c.id WHERE m.text = ?`,
      typed,
    );
    expect(status).toEqual([{ status: 'ended', end_reason: 'completed' }]);
    expect(errors).toEqual([]);
  });

  it('answers a support question from the knowledge base (data-flow="support")', async () => {
    const { widget, errors } = await stack.visit({ data: { flow: 'support' } });
    await widget.open();
    await widget.waitForBot("I'm the Northwind Goods assistant");

    await widget.send('I forgot my password, how can I reset it?');
    // the demo KB entry "Resetting your password": Sign in -> Forgot password? -> a reset link by email
    const answer = await widget.waitForBot(/reset link/i);
    expect(await answer.innerText()).toMatch(/Forgot password/);
    expect(errors).toEqual([]);
  });
});
