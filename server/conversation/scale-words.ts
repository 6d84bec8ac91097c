/**
 * Word tables for reading typed scale answers in the widget's four languages (en, de, fr, es).
 * Every table is a Map or Set keyed by folded words (lowercase, accents removed, ß -> ss), so a
 * visitor typing "constructor" or "__proto__" finds nothing rather than an inherited property.
 *
 * @microsoft/recognizers-text-number 1.3.1 was measured for this and not adopted: 6.4 MB
 * installed, 53 ms to load, then 2.5-3.2 s to build the French model on first use (33 s for the
 * first pass over bench/eval/typed-answers.json in all four cultures); no German at all (de-de
 * returns nothing for "neun von zehn"); Spanish "un siete" read as 1 and 7. It finds numbers but
 * not whether a number is the rating: "store the one number it finds" scored 166/291 right with
 * 40 stored wrong on that set (the old rules: 175/291, 41 wrong). Rating answers only need 0-10
 * plus telling a compound ("sixty five") from a small number, which these tables do.
 */
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';

/** lowercase, no accents, ß -> ss, curly quotes straight, keycap digits as digits */
export function fold(text: string): string {
  return text
    .replace(/🔟/gu, ' 10 ')
    .replace(/\s*½/gu, '.5')
    .replace(/(\d)\uFE0F?\u20E3/gu, '$1')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’`´]/g, "'")
    // "ca. 8", "approx. 7", "env. 6": the abbreviation's dot does not end the sentence
    .replace(/\b(ca|approx|env|aprox|ungef)\./g, '$1 ');
}

type NumberKind = 'unit' | 'teen' | 'ten' | 'hundred';
interface NumberWord {
  value: number;
  kind: NumberKind;
}

const entries = (kind: NumberKind, list: string): [string, NumberWord][] =>
  list.split(' ').map((pair) => {
    const [w, v] = pair.split(':');
    return [w ?? '', { value: Number(v), kind }];
  });

/** number words every language may use (no clash with a common word in another of the four) */
const SHARED_NUMBERS = new Map<string, NumberWord>([
  // English
  ...entries('unit', 'zero:0 nil:0 nought:0 one:1 two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9'),
  ...entries('teen', 'ten:10 eleven:11 twelve:12 thirteen:13 fourteen:14 fifteen:15 sixteen:16 seventeen:17 eighteen:18 nineteen:19'),
  ...entries('ten', 'twenty:20 thirty:30 forty:40 fourty:40 fifty:50 sixty:60 seventy:70 eighty:80 ninety:90'),
  ...entries('hundred', 'hundred:100'),
  // German ("ein", "eine" are articles, not numbers)
  ...entries('unit', 'null:0 eins:1 zwei:2 zwo:2 drei:3 vier:4 funf:5 fuenf:5 sechs:6 sieben:7 acht:8 neun:9'),
  ...entries('teen', 'zehn:10 zwolf:12 zwoelf:12 dreizehn:13 vierzehn:14 funfzehn:15 sechzehn:16 siebzehn:17 achtzehn:18 neunzehn:19'),
  ...entries('ten', 'zwanzig:20 dreissig:30 vierzig:40 funfzig:50 sechzig:60 siebzig:70 achtzig:80 neunzig:90'),
  ...entries('hundred', 'hundert:100'),
  // French ("un", "une" are articles here)
  ...entries('unit', 'zero:0 deux:2 trois:3 quatre:4 cinq:5 six:6 huit:8 neuf:9'),
  ...entries('teen', 'dix:10 onze:11 douze:12 treize:13 quatorze:14 quinze:15 seize:16'),
  ...entries('ten', 'vingt:20 vingts:20 trente:30 quarante:40 cinquante:50 soixante:60 septante:70 huitante:80 nonante:90'),
  ...entries('hundred', 'cent:100'),
  // Spanish ("un", "una" are articles)
  ...entries('unit', 'cero:0 uno:1 dos:2 tres:3 cuatro:4 cinco:5 seis:6 siete:7 ocho:8 nueve:9'),
  ...entries('teen', 'diez:10 doce:12 trece:13 catorce:14 quince:15 dieciseis:16 diecisiete:17 dieciocho:18 diecinueve:19'),
  ...entries('teen', 'veintiuno:21 veintidos:22 veintitres:23 veinticuatro:24 veinticinco:25 veintiseis:26 veintisiete:27 veintiocho:28 veintinueve:29'),
  ...entries('ten', 'veinte:20 treinta:30 cuarenta:40 cincuenta:50 sesenta:60 setenta:70 ochenta:80 noventa:90'),
  ...entries('hundred', 'cien:100 ciento:100'),
]);

/** number words that are ordinary words in another of the four languages: only in their own */
const OWN_LANGUAGE_NUMBERS: ReadonlyMap<WidgetLang, ReadonlyMap<string, NumberWord>> = new Map([
  ['de', new Map(entries('teen', 'elf:11'))],
  ['fr', new Map(entries('unit', 'sept:7'))],
  ['es', new Map(entries('teen', 'once:11'))],
  ['en', new Map<string, NumberWord>()],
]);

const GERMAN_COMPOUND = /^(ein|zwei|drei|vier|funf|fuenf|sechs|sieben|acht|neun)und(zwanzig|dreissig|vierzig|funfzig|sechzig|siebzig|achtzig|neunzig)$/;

function single(word: string, lang: WidgetLang): NumberWord | null {
  const own = OWN_LANGUAGE_NUMBERS.get(lang)?.get(word);
  if (own) return own;
  const shared = SHARED_NUMBERS.get(word);
  if (shared) return shared;
  const de = GERMAN_COMPOUND.exec(word);
  if (de?.[1] && de[2]) {
    const unit = de[1] === 'ein' ? 1 : (SHARED_NUMBERS.get(de[1])?.value ?? 0);
    return { value: unit + (SHARED_NUMBERS.get(de[2])?.value ?? 0), kind: 'ten' };
  }
  return null;
}

/**
 * The value of a number word, hyphenated compounds included ("seventy-five", "quatre-vingt-dix",
 * "dix-sept"); null when the word is not a number. Values above 10 matter only in being above 10.
 */
export function numberWordValue(word: string, lang: WidgetLang): number | null {
  const parts = word.split('-').filter((p) => p !== 'et');
  if (parts.length === 0) return null;
  let total = 0;
  let prev: NumberWord | null = null;
  for (const p of parts) {
    const n = single(p, lang);
    if (!n) return null;
    if (n.kind === 'hundred') total = (total || 1) * 100;
    // French "quatre-vingt(s)" is 4 x 20
    else if ((p === 'vingt' || p === 'vingts') && prev?.value === 4) total = total - 4 + 80;
    else total += n.value;
    prev = n;
  }
  return total;
}

/** can this word join the number before it ("sixty five", "cuarenta y dos", "vingt et un") */
export function isNumberJoiner(word: string): boolean {
  return word === 'y' || word === 'et' || word === 'und' || word === 'and';
}

export function numberWordKind(word: string, lang: WidgetLang): NumberKind | null {
  return single(word.split('-')[0] ?? '', lang)?.kind ?? null;
}

const set = (s: string) => new Set(s.split(' '));

/** a number followed by one of these counts something: it is never the rating */
export const UNIT_WORDS = set(
  // English
  'day days week weeks wk wks hour hours hr hrs h minute minutes min mins second seconds sec secs month months year years yr yrs ' +
    'time times tries try attempts attempt calls call emails email friends friend people persons orders order items item things thing ' +
    'pairs pair pack packs pieces piece person course courses seater parcels parcel packages package boxes box bags kids children euro euros eur dollar dollars usd bucks quid pounds ' +
    'gbp cents percent per pc pcs am pm oclock x kg km miles mile units unit products product shirts mugs reviews stores shops chance chances ' +
    // German
    'tag tage tagen woche wochen stunde stunden std minute minuten sekunden monat monate monaten jahr jahre jahren mal male versuche anrufe ' +
    'freunde freunden freundin freundinnen leute leuten personen bestellungen bestellung artikel teile stuck pakete paket kartons euro prozent uhr ' +
    // French
    'jour jours semaine semaines heure heures minutes secondes mois an ans annee annees fois essais appels amis ami amies amie personnes ' +
    'commandes commande articles colis paquets euros pourcent pour cent ' +
    // Spanish
    'dia dias semana semanas hora horas minutos segundos mes meses ano anos vez veces intentos llamadas amigos amigas personas pedidos pedido ' +
    'articulos paquetes cajas euros dolares por ciento',
);

/** months: a number beside one is a date */
export const MONTH_WORDS = set(
  'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec ' +
    'januar februar marz maerz mai juni juli oktober dezember ' +
    'janvier fevrier mars avril juin juillet aout septembre octobre novembre decembre ' +
    'enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre',
);

/** ordinal endings after digits: 2nd, 3rd, 14th, 1er, 2e, 3eme, 2o, 3te */
export const ORDINAL_SUFFIXES = set('st nd rd th er re e eme ieme o a te ter tes');

/** a number right after one of these is a count, a size, an id, a time or a date, not a rating */
export const COUNT_BEFORE = set(
  'the my our your his her their these those this that every each all only just over under than at for after within since in on by ' +
    'size item number no nr model version page step day room level chapter order ordered bought had got took waited spent paid ' +
    'cost costs costed im age aged ive have has waiting wait ' +
    'die der das den dem meine meinen unsere nach seit vor um bestellung grosse ab bis habe hatte bezahlt gewartet ' +
    'le la les mes nos ces apres depuis pendant dans taille commande paye attendu avant ' +
    'el los las mis nuestros despues desde durante hace talla pedido pague espere antes',
);

/** words that mark the number after them as the rating ("a 9", "give it 8", "je donne 7", "le doy un 6") */
export const CUE_BEFORE = set(
  'a an solid strong clear solide glatte glatt klare give giving gave gives rate rating rated score scored say id mark marks ' +
    'eine ne einen gebe geb geben gegeben sage sagen wurde wuerde note bewerte bewertung punkte ' +
    'un une donne donnerais donnerai mets mettrais mettre dirais dis note noterais ' +
    'una doy daria diria digo pongo pondria pondre nota calificacion puntuacion definitely definitiv definitivement definitivamente ' +
    'clearly easily honestly ehrlich franchement sinceramente',
);

/** after the rating itself, a sentence may go on with these (anything else makes the number a count) */
export const AFTER_OK = set(
  'last before earlier today yesterday letztes letzte letzten heute gestern dernier derniere hier aujourd pasado pasada ayer hoy ahora ' +
    'or oder ou o u points point pts punkte punkten puntos stars but and because cause as since though tho although for from overall definitely honestly i im id would no not now so ' +
    'aber und weil denn da doch von fur insgesamt ich wurde wuerde wurd geben sagen wegen leider ' +
    'mais et car parce puisque pour de je sans vraiment pas ' +
    'pero y porque ya que para de sin por yo la le el',
);

/** words after which a lone number is still the answer ("yes 9", "hmm 6", "ok, 7", "so 8") */
export const FILLER_BEFORE = set(
  'yes yeah yep yup ok okay hmm hm mmm um uh well so then overall honestly tbh probably solid easy easily absolutely deffo def definitely ' +
    'ja jo also naja hmm insgesamt gesamt ehrlich oui ouais bon bah alors globalement franchement si bueno pues vale sinceramente total ' +
    'rating score note nota bewertung rate think believe reckon lets disons digamos glaube denke pense crois creo',
);

/** "N out of M" and its translations */
export const FRACTION_WORDS = set('of outta out_of von aus sur de sobre');

/** words for stars ("4 stars", "fünf Sterne") */
export const STAR_WORDS = set('star stars stern sterne sternen etoile etoiles estrella estrellas');

/** "between A and B", "A or B", "A to B" */
export const RANGE_BETWEEN = set('between zwischen entre');
export const RANGE_JOIN = set('or to and - – bis oder und ou et a o u y');

/** hedges just before a number ("maybe 7", "so um die 5", "quizás un 7") */
export const HEDGE_BEFORE = set(
  'maybe probably perhaps possibly around about roughly approximately approx like prob prolly ' +
    'vielleicht wahrscheinlich ungefahr ungefaehr etwa circa ca eher rund ' +
    'peut-etre peutetre probablement environ plutot ' +
    'quizas quiza probablemente alrededor aproximadamente unos',
);

/** hedges anywhere in the answer: the visitor is not sure of the number they gave */
export const HEDGE_ANYWHERE = [
  /\b(i guess|i suppose|idk|i dunno|dunno|not sure|unsure|or so|ish|kinda|kind of|sort of|more or less)\b/,
  /\b(keine ahnung|weiss nicht|so um die|um die|oder so|mehr oder weniger|schatze ich|glaube ich nicht)\b/,
  /\b(je sais pas|je ne sais pas|sais pas|a peu pres|plus ou moins|je suppose|ou presque)\b/,
  /\b(no se|mas o menos|mas bien|supongo|tal vez|o asi)\b/,
  /\b(or more|or less|or higher|or lower|or above|or better|oder mehr|oder weniger|ou plus|ou moins|o mas|o menos|at least|at most|less than|more than|fewer than|mindestens|hochstens|weniger als|mehr als|au moins|au plus|moins de|plus de|al menos|como mucho|como maximo|menos de|mas de)\b/,
];

/** a negation right before the number: "not a 10", "keine 10", "pas un 10" */
export const NEGATION_BEFORE = set('not never nicht keine kein nie pas jamais nunca ni');

/** "on a scale of 0 to 10", "auf einer Skala von 1 bis 5": the scale itself, not the answer */
export const SCALE_PHRASE =
  /\b(?:(?:on a |auf einer |sur une |en una )?(?:scale|skala|echelle|escala)\s+(?:of|from|von|de|del)?\s*\d+\s*(?:to|-|–|bis|a|au|al)\s*\d+|(?:from|von|de|del)\s+[01]\s*(?:to|-|–|bis|a|au|al)\s*(?:5|7|10)\b|(?:on an? |auf einer )?[01]\s*(?:-|–|to)\s*(?:5|7|10)\s*(?:scale|skala|echelle|escala|er skala))/g;

export interface ScaleLabels {
  low: string[];
  high: string[];
}

/** the scales' own end labels and their translations (folded) */
export const SCALE_END_LABELS: ReadonlyMap<'nps' | 'csat' | 'ces', ScaleLabels> = new Map([
  [
    'nps',
    {
      low: [
        'not at all likely', 'not likely at all', 'not likely', 'very unlikely', 'extremely unlikely',
        'uberhaupt nicht wahrscheinlich', 'gar nicht wahrscheinlich', 'nicht wahrscheinlich', 'sehr unwahrscheinlich', 'ausserst unwahrscheinlich',
        'pas du tout probable', 'pas probable', 'tres improbable', 'tres peu probable',
        'nada probable', 'nada probable en absoluto', 'muy improbable', 'muy poco probable',
      ],
      high: [
        'extremely likely', 'very likely',
        'sehr wahrscheinlich', 'extrem wahrscheinlich', 'ausserst wahrscheinlich', 'aeusserst wahrscheinlich', 'hochst wahrscheinlich', 'hoechst wahrscheinlich',
        'tres probable', 'extremement probable',
        'muy probable', 'extremadamente probable', 'sumamente probable',
      ],
    },
  ],
  [
    'csat',
    {
      low: ['very dissatisfied', 'very unsatisfied', 'sehr unzufrieden', 'tres insatisfait', 'tres insatisfaite', 'tres mecontent', 'tres mecontente', 'muy insatisfecho', 'muy insatisfecha'],
      high: ['very satisfied', 'sehr zufrieden', 'tres satisfait', 'tres satisfaite', 'tres content', 'tres contente', 'muy satisfecho', 'muy satisfecha'],
    },
  ],
  [
    'ces',
    {
      low: ['very difficult', 'very hard', 'sehr schwierig', 'sehr schwer', 'tres difficile', 'muy dificil'],
      high: ['very easy', 'sehr einfach', 'sehr leicht', 'tres facile', 'tres simple', 'muy facil', 'muy sencillo'],
    },
  ],
]);
