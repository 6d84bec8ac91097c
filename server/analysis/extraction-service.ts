/**
 * Runs extraction for one conversation and stores the record (replacing any earlier one), and
 * provides the `extract` job handler the worker runs when a conversation ends.
 */
import { z } from 'zod';
import type { Extraction } from '../../shared/extraction.ts';
import { PermanentJobError } from '../jobs/permanent-error.ts';
import type { Logger } from '../logger.ts';
import type { LlmClient } from '../llm/types.ts';
import type { ExtractionsStore } from '../store/extractions.ts';
import type { Extractor } from './extractor-types.ts';
import { createLlmExtractor } from './llm-extractor.ts';
import { createOfflineExtractor } from './offline-extractor.ts';

export const ExtractJobPayload = z.object({ conversationId: z.string().min(1) });

export interface ExtractionServiceOptions {
  extractions: ExtractionsStore;
  /** null: offline extraction only */
  llm: LlmClient | null;
  log: Logger;
  llmTimeoutMs?: number;
  /**
   * Steps that act on a stored extraction (routing rules, insight rollups, webhooks), run in
   * order after every save, re-analysis included. A step that throws fails the job, which retries:
   * steps must be idempotent per extraction.
   */
  afterSave?: ReadonlyArray<(extraction: Extraction) => void | Promise<void>>;
}

export function createExtractionService(opts: ExtractionServiceOptions) {
  const offline = createOfflineExtractor();
  const extractor: Extractor = opts.llm
    ? createLlmExtractor({ llm: opts.llm, offline, log: opts.log, ...(opts.llmTimeoutMs ? { timeoutMs: opts.llmTimeoutMs } : {}) })
    : offline;

  async function extract(conversationId: string): Promise<Extraction | null> {
    const input = opts.extractions.loadInput(conversationId);
    if (!input) return null;
    const saved = opts.extractions.save(await extractor.extract(input));
    for (const step of opts.afterSave ?? []) await step(saved);
    return saved;
  }

  return {
    extractor,
    extract,
    /** the worker's `extract` handler; a conversation deleted meanwhile is not an error */
    async handleJob(payload: unknown): Promise<void> {
      const parsed = ExtractJobPayload.safeParse(payload);
      if (!parsed.success) throw new PermanentJobError(`invalid extract payload: ${z.prettifyError(parsed.error)}`);
      const { conversationId } = parsed.data;
      const result = await extract(conversationId);
      if (!result) opts.log.info({ conversationId }, 'extract job: conversation is gone');
    },
  };
}
export type ExtractionService = ReturnType<typeof createExtractionService>;
