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
import type { JobOutcome } from '../jobs/worker.ts';
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

  /** the stored record, and why the LLM was not used when it fell back (null otherwise) */
  async function extractReported(conversationId: string): Promise<{ saved: Extraction; fallbackReason: string | null } | null> {
    const input = await opts.extractions.loadInput(conversationId);
    if (!input) return null;
    const { extraction, fallbackReason } = extractor.extractReported ? await extractor.extractReported(input) : { extraction: await extractor.extract(input), fallbackReason: null };
    // the visitor's reply reopened it while it was analysed (after an idle end): this result misses
    // text, and the end that follows finds this job still holding the dedupe key, so the job
    // fails and its retry reads the transcript again
    if ((await opts.extractions.messageCount(conversationId)) > input.messages.length) {
      throw new Error('the transcript grew while it was analysed (the conversation reopened); analysing it again');
    }
    const saved = await opts.extractions.save(extraction);
    for (const step of opts.afterSave ?? []) await step(saved);
    return { saved, fallbackReason };
  }

  async function extract(conversationId: string): Promise<Extraction | null> {
    return (await extractReported(conversationId))?.saved ?? null;
  }

  return {
    extractor,
    extract,
    /**
     * The worker's `extract` handler; a conversation deleted meanwhile is not an error. When the
     * LLM failed and the offline result was stored, the job succeeds with the reason as its note
     * (the admin jobs page shows it as the job's last error).
     */
    async handleJob(payload: unknown): Promise<JobOutcome> {
      const parsed = ExtractJobPayload.safeParse(payload);
      if (!parsed.success) throw new PermanentJobError(`invalid extract payload: ${z.prettifyError(parsed.error)}`);
      const { conversationId } = parsed.data;
      // reopened before its analysis ran (a visitor replied after an idle end): ending it again
      // enqueues the analysis of the whole transcript, which replaces any earlier result
      if (await opts.extractions.isOpen(conversationId)) {
        opts.log.info({ conversationId }, 'extract job: conversation reopened; analysed when it ends again');
        return { note: null };
      }
      const result = await extractReported(conversationId);
      if (!result) opts.log.info({ conversationId }, 'extract job: conversation is gone');
      return { note: result?.fallbackReason ?? null };
    },
  };
}
export type ExtractionService = ReturnType<typeof createExtractionService>;
