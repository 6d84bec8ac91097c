/**
 * Words into search terms for the knowledge base, in the widget's four languages. A word becomes
 * its Snowball stem (lowercased, accents dropped after stemming so "envio" meets "envío"). A
 * knowledge-base text is stemmed with all four stemmers, since an entry may carry aliases in any
 * language; a question is stemmed in its own language plus English, since customers mix in
 * English words ("tracking", "PayPal").
 */
import { MAX_STEMMED_LENGTH } from '../analysis/lang/tokens.ts';
import { createRequire } from 'node:module';
import snowball from 'snowball-stemmers';
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import { ATTRIBUTES, glossOf } from './kb-glossary.ts';

const STEMMER_NAMES: ReadonlyMap<WidgetLang, string> = new Map([
  ['en', 'english'],
  ['de', 'german'],
  ['fr', 'french'],
  ['es', 'spanish'],
]);
const LANGS: readonly WidgetLang[] = ['en', 'de', 'fr', 'es'];
const stemmers = new Map(LANGS.map((l) => [l, snowball.newStemmer(STEMMER_NAMES.get(l) ?? 'english')]));

/**
 * A bounded memo for a pure function of one word: visitors repeat the same few thousand words, and
 * stemming a word (four Snowball stemmers per knowledge-base word) was most of an offline support
 * turn. When full it starts over, so hostile text cannot grow it without bound.
 */
function memo(fn: (word: string) => string, max = 20_000): (word: string) => string {
  let cache = new Map<string, string>();
  return (word) => {
    const hit = cache.get(word);
    if (hit !== undefined) return hit;
    const out = fn(word);
    if (cache.size >= max) cache = new Map();
    cache.set(word, out);
    return out;
  };
}

/** lowercase without accents or apostrophes */
export const fold: (word: string) => string = memo((word) =>
  word
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss'),
);

/**
 * English stop words: function words only (the NLTK list, with contractions typed without
 * apostrophes). stopwords-iso's English list also drops words that carry a support question's
 * meaning ("ordered", "abroad", "placed", "states").
 */
const ENGLISH_STOP =
  'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them their ' +
  'theirs themselves what which who whom this that these those am is are was were be been being have has had having do does did doing a an the and ' +
  'but if or because as until while of at by for with about against between into through during before after above below to from up down in out on ' +
  'off over under again further then once here there when why how all any both each few more most other some such no nor not only own same so ' +
  'than too very s t can will just don should now d ll m o re ve y ain aren couldn didn doesn hadn hasn haven isn ma mightn mustn needn shan shouldn ' +
  'wasn weren won wouldn im ive id youre dont cant wont didnt doesnt isnt hasnt havent wasnt please hi hello hey thanks thank would could get got ' +
  'want need tell know much many also still yet one something anything way lot bit possible possibly keep keeps kept';

/**
 * stopwords-iso lists for German, French and Spanish are generous too: words that carry meaning
 * ("zurück", "retour", "llegó", "Estados") stay searchable.
 */
const KEEP = new Set(
  (
    'zurück tage zeit woche neue heute nouveau retour toujours cuenta días tiempo nuevo semana nueva hoy estados llego uso mal fois vez veces'
  )
    .split(' ')
    .map((w) => fold(w)),
);

function loadStopWords(): Map<WidgetLang, Set<string>> {
  const raw: unknown = createRequire(import.meta.url)('stopwords-iso');
  const lists = new Map<WidgetLang, Set<string>>([['en', new Set(ENGLISH_STOP.split(' '))]]);
  for (const lang of ['de', 'fr', 'es'] as const) {
    const words = typeof raw === 'object' && raw !== null && Object.hasOwn(raw, lang) ? (raw as Record<string, unknown>)[lang] : [];
    const list = Array.isArray(words) ? words.filter((w): w is string => typeof w === 'string') : [];
    lists.set(lang, new Set(list.map(fold).filter((w) => !KEEP.has(w))));
  }
  return lists;
}


/** greetings and politeness carry no topic, in any of the four languages */
const POLITE = new Set(
  'hi hey hello hallo moin servus bonjour salut coucou hola buenas buenos thanks thank thx danke merci gracias please bitte svp plait favor cheers idea ungefahr etwa environ aproximadamente approximately roughly need necesito necesitaria brauche besoin'.split(' '),
);

const STOP = loadStopWords();
const ENGLISH_STOP_SET = STOP.get('en') ?? new Set<string>();
const ALL_STOP = new Set(LANGS.flatMap((l) => [...(STOP.get(l) ?? [])]));

/** the words of a text, lowercased, with elisions split off ("l'adresse" -> "adresse") */
export function words(text: string): string[] {
  return (text.toLowerCase().replace(/[’']/g, ' ').match(/[\p{L}\p{N}£$€]+/gu) ?? []).filter((w) => w.length > 1 || /\d/.test(w));
}

const stemmedIn = new Map(
  LANGS.map((lang) => [
    lang,
    memo((word) => {
      // no word is this long, and the stemmer's regexes are quadratic on such strings
      const stemmer = word.length > MAX_STEMMED_LENGTH ? undefined : stemmers.get(lang);
      return fold(stemmer ? stemmer.stem(word) : word);
    }),
  ]),
);

function stemIn(lang: WidgetLang, word: string): string {
  const stem = stemmedIn.get(lang);
  return stem ? stem(word) : fold(word);
}

/** a question word: its stems in the question's language and English, or null for a stop word */
export interface QueryToken {
  word: string;
  stems: string[];
  /** written with a capital inside a sentence (not in German): likely a name or a place */
  name: boolean;
  /** a word about time or money ("cost", "dauert"): weighs less than a topic word */
  attribute: boolean;
}

/**
 * The words a site's own tags stand on: single-word tags and the first and last word of a tag
 * phrase ("mot de passe", "wo ist meine Bestellung", "USA"). They are never dropped as stop
 * words, in the entries or in questions, since the owner chose them.
 */
export function tagVocabulary(tags: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const tag of tags) {
    const ws = words(tag);
    // English function words ("log in", "sign in") stay stop words
    for (const w of [ws[0], ws.at(-1)]) if (w !== undefined && w.length >= 2 && !ENGLISH_STOP_SET.has(fold(w))) out.add(fold(w));
  }
  return out;
}

const NONE: ReadonlySet<string> = new Set();

export function queryTokens(text: string, lang: WidgetLang, keep: ReadonlySet<string> = NONE): QueryToken[] {
  const stop = STOP.get(lang) ?? new Set<string>();
  const english = STOP.get('en') ?? new Set<string>();
  const seen = new Set<string>();
  const out: QueryToken[] = [];
  const capitalised = new Set([
    ...(lang === 'de' ? [] : (text.match(/(?<=[\p{L}\p{N},;]\s+)\p{Lu}[\p{Ll}]+/gu) ?? [])),
    // "nach Köln", "à Lyon", "in Manchester": a capitalised word after a place preposition
    ...(text.match(/(?<=\b(?:to|in|from|nach|aus|bei|à|a|en|de|desde|para|vers)\s+)\p{Lu}[\p{Ll}]+/gu) ?? []),
  ].map(fold));
  for (const w of words(text)) {
    const f = fold(w);
    // order numbers, amounts and dates say nothing about the topic
    if (((stop.has(f) || english.has(f)) && !keep.has(f)) || POLITE.has(f) || seen.has(f) || /^\d/.test(f)) continue;
    const gloss = glossOf(f);
    const stems = [...new Set([stemIn(lang, w), stemIn('en', w), ...(gloss ? [stemIn('en', gloss)] : [])])];
    // "pedí ... pedido": two forms of one word count once
    if (stems.some((x) => seen.has(x))) continue;
    seen.add(f);
    for (const x of stems) seen.add(x);
    out.push({ word: f, stems, name: capitalised.has(f), attribute: gloss !== undefined && ATTRIBUTES.has(gloss) });
  }
  return out;
}

/** the stems of one word under all four stemmers */
export function allStems(word: string): string[] {
  return [...allStemsOf(word)];
}

/** shared, never mutated: a knowledge-base word's stems, computed once per word */
const ALL_STEMS = new Map<string, readonly string[]>();
function allStemsOf(word: string): readonly string[] {
  let stems = ALL_STEMS.get(word);
  if (stems === undefined) {
    stems = [...new Set(LANGS.map((l) => stemIn(l, word)))];
    if (ALL_STEMS.size >= 20_000) ALL_STEMS.clear();
    ALL_STEMS.set(word, stems);
  }
  return stems;
}

/** a multi-word tag ("send back", "frais de port") as its content words' stems */
export function phraseStems(phrase: string, keep: ReadonlySet<string> = NONE): string[][] {
  return words(phrase)
    .filter((w) => !ALL_STOP.has(fold(w)) || keep.has(fold(w)))
    .map(allStems);
}

/** the terms of a knowledge-base text: every word's stems under all four stemmers, once per word */
export function documentTerms(text: string, keep: ReadonlySet<string> = NONE): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    const f = fold(w);
    if (ALL_STOP.has(f) && !keep.has(f)) continue;
    for (const stem of allStemsOf(w)) out.push(stem);
  }
  return out;
}
