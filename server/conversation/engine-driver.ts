/**
 * Drives an Engine through a conversation the way the service does (state, answers and
 * transcript carried between turns), for tests and benchmarks.
 */
import type { Answer, Flow } from '../../shared/flow.ts';
import type { Message } from '../../shared/message.ts';
import type { Site } from '../../shared/site.ts';
import { SiteSettings } from '../../shared/site.ts';
import type { Engine, TurnInput, TurnResult, VisitorInput } from './engine-types.ts';

export const testSite = (settings: Partial<SiteSettings> = {}): Site => ({
  id: 'site-1',
  key: 'demo',
  name: 'Northwind Goods',
  allowedOrigins: ['http://localhost:*'],
  settings: SiteSettings.parse(settings),
  createdAt: 0,
});

export class EngineDriver {
  state: unknown = {};
  answers: Answer[] = [];
  history: Message[] = [];
  completed = false;
  needsHuman = false;
  deltas: { draftId: string; text: string }[] = [];
  last!: TurnResult;

  constructor(
    readonly engine: Engine,
    readonly flow: Flow,
    readonly opts: { site?: Site; locale?: string; stream?: boolean } = {},
  ) {}

  private input(): TurnInput {
    // as of this turn, like the service's reads
    const { history, answers } = this;
    return {
      site: this.opts.site ?? testSite(),
      flow: this.flow,
      conversationId: 'conv-1',
      state: this.state,
      history: () => Promise.resolve(history),
      answers: () => Promise.resolve(answers),
      locale: this.opts.locale ?? 'en',
      ...(this.opts.stream ? { onDelta: (draftId: string, text: string) => this.deltas.push({ draftId, text }) } : {}),
    };
  }

  private push(author: Message['author'], text: string, reply: Message['reply'] = null): void {
    const seq = this.history.length + 1;
    this.history = [...this.history, { id: seq, conversationId: 'conv-1', seq, clientId: null, author, authorName: null, text, reply, createdAt: seq }];
  }

  private apply(r: TurnResult): TurnResult {
    this.last = r;
    this.state = JSON.parse(JSON.stringify(r.state)) as unknown;
    for (const a of r.answers) this.answers = [...this.answers.filter((x) => x.questionId !== a.questionId), a];
    for (const reply of r.replies) this.push('bot', reply.text, reply.reply);
    this.completed ||= r.completed;
    this.needsHuman ||= r.needsHuman;
    return r;
  }

  async start(): Promise<TurnResult> {
    return this.apply(await this.engine.start(this.input()));
  }

  async say(text: string, value?: VisitorInput['value']): Promise<TurnResult> {
    this.push('visitor', text);
    return this.apply(await this.engine.reply(this.input(), value === undefined ? { text } : { text, value }));
  }

  /** the text of the bot's last message */
  get lastText(): string {
    return this.last.replies.at(-1)?.text ?? '';
  }

  answer(questionId: string): Answer | undefined {
    return this.answers.find((a) => a.questionId === questionId);
  }
}
