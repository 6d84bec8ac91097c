import type { Extraction } from '../../shared/extraction.ts';
import type { Answer } from '../../shared/flow.ts';
import type { Author } from '../../shared/message.ts';
import type { Topic } from '../../shared/site.ts';

export interface TranscriptLine {
  id: number;
  author: Author;
  text: string;
}

/** Everything an extractor needs about one conversation (loaded by store/extractions.ts). */
export interface ExtractionInput {
  conversationId: string;
  messages: TranscriptLine[];
  answers: Answer[];
  /** [min, max] of each rating question, by question id (stars vary per question) */
  scales: Record<string, [number, number]>;
  /** the site's topic taxonomy */
  topics: Topic[];
  /** the visitor asked for a person, or the bot could not answer */
  needsHuman: boolean;
  /** the visitor's locale, else the site's ("de-AT"): a hint for the language and the phone country */
  locale?: string | null;
}

/** An extraction plus why the preferred extractor was not used (null when it was). */
export interface ReportedExtraction {
  extraction: Extraction;
  fallbackReason: string | null;
}

export interface Extractor {
  readonly kind: Extraction['extractor'];
  readonly version: string;
  extract(input: ExtractionInput): Promise<Extraction>;
  /** like extract, and says when it fell back (the LLM extractor); the job keeps the reason */
  extractReported?(input: ExtractionInput): Promise<ReportedExtraction>;
}
