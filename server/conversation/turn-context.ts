import type { LlmClient } from '../llm/types.ts';
import type { Logger } from '../logger.ts';
import type { TurnInput } from './engine-types.ts';
import type { KnowledgeBase } from './knowledge-base.ts';

/** What a runner needs for one turn: the input plus the engine's dependencies. */
export interface TurnContext {
  input: TurnInput;
  llm: LlmClient | null;
  kb: KnowledgeBase;
  log: Logger;
}
