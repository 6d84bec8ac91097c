/**
 * The contract between the conversation service (which owns storage, acks and fan-out) and the
 * engine (which decides what the bot says next). The engine is pure logic over a flow: it
 * never touches SQL or sockets.
 */
import type { Answer, Flow } from '../../shared/flow.ts';
import type { Message, ReplyOptions } from '../../shared/message.ts';
import type { Site } from '../../shared/site.ts';

export interface TurnInput {
  site: Site;
  flow: Flow;
  conversationId: string;
  /** the engine's state as it last returned it ({} for a new conversation); the engine validates it */
  state: unknown;
  /**
   * recent transcript, oldest first (on reply: includes the visitor message just committed).
   * Read when first called and kept for the turn: a turn that never looks costs no query.
   */
  history(): Promise<Message[]>;
  /** answers stored so far; read when first called, like history */
  answers(): Promise<Answer[]>;
  /** the visitor's language (BCP 47, e.g. "en", "de-AT") */
  locale: string;
  /** streaming: each piece of a bot reply as it is produced; draftId ties the pieces to the final reply */
  onDelta?: (draftId: string, text: string) => void;
}

export interface BotReply {
  text: string;
  /** quick replies offered under this message */
  reply: ReplyOptions | null;
  /** set when the reply was streamed through onDelta under this id */
  draftId?: string;
}

export interface TurnResult {
  /** zero or more bot messages, in order */
  replies: BotReply[];
  /** the new state to store */
  state: unknown;
  /** answers to insert or replace (by questionId) */
  answers: Answer[];
  /** the flow finished with this turn */
  completed: boolean;
  /** the visitor wants a person, or the bot could not help: mark for follow-up and tell the admin side */
  needsHuman: boolean;
}

export interface VisitorInput {
  text: string;
  /** the quick-reply value(s) when a button was clicked */
  value?: string | string[];
}

export interface Engine {
  /** the opening turn of a new conversation */
  start(input: TurnInput): Promise<TurnResult>;
  /** the bot's turn after a visitor message */
  reply(input: TurnInput, visitor: VisitorInput): Promise<TurnResult>;
}
