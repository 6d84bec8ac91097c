/**
 * The conversation engine: picks the runner for the flow's kind and hands it the validated state.
 * Pure logic over a flow; works fully offline when `llm` is null.
 */
import type { LlmClient } from '../llm/types.ts';
import type { Logger } from '../logger.ts';
import type { Engine, TurnInput } from './engine-types.ts';
import { newSupportState, newSurveyState, readState } from './engine-state.ts';
import type { KnowledgeBase } from './knowledge-base.ts';
import { replySupport, startSupport } from './support-runner.ts';
import { replySurvey, startSurvey } from './survey-runner.ts';
import type { TurnContext } from './turn-context.ts';

export interface EngineDeps {
  llm: LlmClient | null;
  kb: KnowledgeBase;
  log: Logger;
}

export function createEngine(deps: EngineDeps): Engine {
  const context = (input: TurnInput): TurnContext => ({ input, llm: deps.llm, kb: deps.kb, log: deps.log });

  return {
    start(input) {
      const ctx = context(input);
      return input.flow.kind === 'survey' ? startSurvey(ctx, input.flow) : startSupport(ctx, input.flow);
    },
    reply(input, visitor) {
      const ctx = context(input);
      const stored = readState(input.state);
      const isNew = typeof input.state === 'object' && input.state !== null && Object.keys(input.state).length === 0;
      if (!stored && !isNew) deps.log.warn({ conversationId: input.conversationId }, 'engine state unreadable; resuming from the answers');
      const { flow } = input;
      if (flow.kind === 'survey') {
        // lost or foreign state: current=null makes the runner resume at the next unanswered question
        return replySurvey(ctx, flow, stored?.kind === 'survey' ? stored : newSurveyState(), visitor);
      }
      return replySupport(ctx, flow, stored?.kind === 'support' ? stored : newSupportState(), visitor);
    },
  };
}
