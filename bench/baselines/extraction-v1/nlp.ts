/**
 * One shared wink-nlp instance (loading the model costs ~100 ms and ~20 MB, so it is done once,
 * on first use) and the token views the analysers need.
 */
import winkNLP, { type ItemToken, type ItsFunction, type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

let instance: WinkMethods | null = null;

export function nlp(): WinkMethods {
  instance ??= winkNLP(model);
  return instance;
}

export interface WordToken {
  /** lower-cased normal form */
  normal: string;
  /** Porter2 stem */
  stem: string;
  pos: string;
  /** wink marks words inside the scope of a negation ("not good" -> good is negated) */
  negated: boolean;
}

/** Words and numbers of `text` (punctuation is returned as `normal` with pos 'PUNCT'). */
export function wordTokens(text: string): WordToken[] {
  const { its } = nlp();
  // wink's typings declare its.stem with a signature that does not fit `out()`; it works at run time.
  const stem = its.stem as unknown as ItsFunction<string>;
  const out: WordToken[] = [];
  nlp()
    .readDoc(text)
    .tokens()
    .each((t: ItemToken) => {
      const type = t.out(its.type);
      if (type !== 'word' && type !== 'number' && type !== 'punctuation') return;
      out.push({
        normal: t.out(its.normal),
        stem: type === 'punctuation' ? t.out(its.normal) : t.out(stem),
        pos: type === 'punctuation' ? 'PUNCT' : t.out(its.pos),
        negated: t.out(its.negationFlag) === true,
      });
    });
  return out;
}

/** wink's own lexicon score for the whole text, roughly in [-1, 1]. */
export function winkSentiment(text: string): number {
  const score = nlp().readDoc(text).out(nlp().its.sentiment);
  return typeof score === 'number' ? score : 0;
}

/** Sentences of `text`, as written. */
export function sentences(text: string): string[] {
  return nlp().readDoc(text).sentences().out();
}
