/** Test helper: drive a survey through a real visitor socket to its end, answering like a person. */
import type { Socket } from 'socket.io-client';
import type { Message } from '../../shared/message.ts';
import type { RunningServer } from '../main.ts';
import { until } from './wait.ts';

type Ack = { ok: boolean; error?: { code: string; message: string }; conversation?: { id: string; status: string } };

const FREE_TEXT = [
  'Delivery took nine days and the tracking page said nothing, but the jacket itself is lovely.',
  'Honestly the checkout asked for my address twice, a bit annoying.',
  'Nope, that is all, thanks.',
];

/**
 * Start `flowId`, then answer each bot question: the first quick reply when there are buttons,
 * realistic free text otherwise, until the conversation ends (bounded). Returns its id.
 */
export async function driveSurvey(server: RunningServer, sock: Socket, flowId: string, tag: string, maxTurns = 14): Promise<string> {
  const started = (await sock.timeout(20_000).emitWithAck('conversation:start', { flowId, restart: true })) as Ack;
  if (!started.ok || !started.conversation) throw new Error(`start failed: ${JSON.stringify(started.error)}`);
  const cid = started.conversation.id;
  const ended = async () => (await server.store.conversations.get(cid))?.status === 'ended';
  const lastBot = async (): Promise<Message | undefined> => (await server.store.messages.list(cid)).filter((m) => m.author === 'bot').at(-1);
  await until('the opening question', async () => (await lastBot()) || (await ended()), 800);
  for (let turn = 0; turn < maxTurns && !(await ended()); turn++) {
    const question = await lastBot();
    const count = (await server.store.messages.list(cid)).length;
    const option = question?.reply?.options[question.reply.options.length > 8 ? 8 : 0];
    const payload = option ? { text: option.label, value: question?.reply?.multiple ? [option.value] : option.value } : { text: FREE_TEXT[turn % FREE_TEXT.length]! };
    const ack = (await sock.timeout(20_000).emitWithAck('message:send', { conversationId: cid, clientId: `${tag}-${turn}-xxxxxx`, ...payload })) as Ack;
    if (!ack.ok) throw new Error(`send failed: ${JSON.stringify(ack.error)}`);
    await until('the next bot turn', async () => (await ended()) || (await server.store.messages.list(cid)).length > count + 1, 1200);
  }
  return cid;
}
