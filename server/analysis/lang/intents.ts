/**
 * What a customer asks for or threatens, in English, German, French and Spanish: the intents that
 * decide follow-up. Every pattern matches whole words (lang/tokens.ts `words`), so alarm words
 * inside harmless words do not fire ("pursue", "courtyard", "surefire", "scampi", "Brandenburg").
 * English patterns also run on other languages' text (customers mix in "refund", "ASAP").
 */
import { words, type Lang } from './tokens.ts';

export type Intent =
  /** call me back / contact me */
  | 'callback'
  /** e-mail or write me (e.g. when it is fixed) */
  | 'notify'
  | 'refund'
  | 'replacement'
  | 'cancel'
  /** a defect or failure that needs someone to act: broken, lost, wrong item, charged twice, cannot log in */
  | 'problem'
  /** a promised contact or call that did not happen */
  | 'contact_broken'
  | 'urgent'
  | 'legal'
  | 'chargeback'
  | 'safety'
  | 'data_breach'
  | 'fraud';

export const CRITICAL_INTENTS: ReadonlySet<Intent> = new Set(['legal', 'chargeback', 'safety', 'data_breach', 'fraud']);

const L = '\\p{L}*';

const PATTERNS: Record<Lang, Partial<Record<Intent, RegExp>>> = {
  en: {
    callback: words("call me(?: back)?", 'call (?:me )?back', 'ring me', 'phone me', 'give me a (?:call|ring)', 'contact me', 'get back to me', 'reach (?:me|out to me)', 'callback asap', 'need (?:someone|somebody) to (?:call|contact) me', 'speak (?:to|with) (?:a |an )?(?:human|person|manager|supervisor)'),
    notify: words('e-?mail me', 'text me', 'let me know when', 'write (?:to )?me', 'keep me (?:posted|updated)'),
    refund: words(`refund${L}`, 'money back', 'reimburse' + L, 'refund the duplicate'),
    replacement: words('replacement', 'replace (?:it|them)', 'send (?:me )?(?:a )?new one'),
    cancel: words(`cancel${L}`, 'close my account', 'delete my account', 'unsubscribe', `switch${L} to`, "i'?m done", 'never (?:again|buying|ordering)'),
    problem: words('broke', 'broken', 'damaged', 'defective', 'faulty', 'not working', "(?:doesn'?t|does not|won'?t|didn'?t) work", 'error', `crash${L}`, "can'?t (?:log ?in|sign in|access|check ?out|pay)", 'logs me out', 'charged twice', 'double charged', 'charged (?:me )?(?:two|2) times', 'wrong (?:item|size|product|colou?r|order|address)', 'lost', 'missing', "(?:never|hasn'?t|has not|didn'?t|did not|still (?:hasn'?t|not)) (?:arrived|come|shown up)", 'counterfeit', 'fell apart', '(?:coming|falling) apart', 'eats my cart', 'two orders', 'cracked', 'shattered', 'leak(?:s|ing)', 'stain(?:ed|s)?', 'ruined', 'soaked', 'instead of (?:the|my|a)', 'left in the rain'),
    contact_broken: words("(?:nobody|no one|no-one) (?:called|rang|got back|replied|answered|contacted)", 'keep ignoring', 'still no (?:call|reply|answer)', 'never (?:called|got back|replied)'),
    urgent: words(`urgent${L}`, 'asap', 'immediately', 'right away', 'right now', 'as soon as possible', 'emergency', 'today', 'NOW'),
    legal: words('lawyer', 'attorney', 'sue', 'suing', 'lawsuit', 'legal action', 'take (?:you|this|it) to court', 'small claims', 'trading standards', 'ombudsman', 'solicitor', 'my lawyer'),
    chargeback: words(`charge-?back${L}`, 'dispute (?:the|this) (?:charge|payment|transaction)', 'call my bank', 'through my bank'),
    safety: words(`injur${L}`, 'burn(?:ed|t|s)? (?:her|his|my|their)?', 'caught fire', 'on fire', 'started smoking', 'fire hazard', 'burst into flames', 'electric shock', 'allergic reaction', 'anaphyla' + L, 'unsafe', 'dangerous', 'choking hazard', 'hospital', 'safety issue', `overheat${L}`),
    data_breach: words('hacked', 'data (?:breach|leak)', 'leaked', 'identity theft', 'someone (?:else )?(?:used|placed|logged)', 'my data (?:was|has been)', 'lost (?:all )?my (?:data|files)'),
    fraud: words('fraud', 'fraudulent', 'scam', 'scammed', 'stolen'),
  },
  de: {
    callback: words(`ruf${L} (?:sie |du |ihr )?mich (?:bitte |doch )?(?:\\p{L}+ )?(?:zurück|an)`, `rückruf${L}`, 'melden sie sich', 'kontaktieren sie mich', 'mich (?:bitte )?(?:zurück)?rufen', 'anrufen'),
    notify: words('schreib(?:en sie|t)? mir', 'mail(?:en sie)? mir', 'geben sie mir bescheid', 'informieren sie mich'),
    refund: words(`rückerstatt${L}`, 'geld zurück', `erstatt${L}`, 'gutschrift'),
    replacement: words(`ersatz${L}`, 'umtausch', 'neue(?:s|n)? (?:gerät|produkt|artikel) schicken'),
    cancel: words(`kündig${L}`, `storn${L}`, 'abbestellen', 'konto löschen', 'abo beenden'),
    problem: words('kaputt', 'defekt', `beschädig${L}`, `fehlerhaft${L}`, 'fehler', `falsch${L} (?:produkt|artikel|größe|farbe|ware|lieferung)`, 'funktioniert nicht', 'geht nicht', 'fehlt', 'verloren', '(?:immer noch|noch immer|noch) nicht (?:da|angekommen|geliefert)', 'nicht angekommen', 'aufgegangen', `gerissen`, 'fleck\\p{L}*', 'gesprungen', 'zerbrochen', 'undicht', 'statt (?:de[rsmn]|dem|die|das)', 'zweimal abgebucht', '(?:doppelt|zweimal) (?:\\p{L}+ ){0,3}abgebucht', 'kann mich nicht anmelden'),
    contact_broken: words('(?:hat sich )?niemand (?:hat sich )?gemeldet', 'niemand (?:ruft|rief) (?:an|zurück)', 'keine antwort', 'noch keine antwort', 'nichts gehört'),
    urgent: words('dringend', 'sofort', 'umgehend', 'schnellstmöglich', 'heute noch'),
    legal: words(`anwalt${L}`, `rechtsanwalt${L}`, 'klage', `verklag${L}`, 'gericht', 'rechtliche schritte', 'verbraucherzentrale', 'schlichtungsstelle'),
    chargeback: words(`zurückbuch${L}`, `rückbuchung${L}`, 'lastschrift zurück' + L, 'über meine bank'),
    safety: words(`verletz${L}`, 'angefangen zu brennen', 'brennt', 'gebrannt', 'in flammen', 'brandgefahr', 'stromschlag', 'allergische reaktion', 'gefährlich', 'krankenhaus', 'überhitz' + L, 'geraucht', 'qualm' + L),
    data_breach: words('datenleck', 'gehackt', 'datenschutzverletzung', 'daten (?:wurden|sind) (?:gestohlen|veröffentlicht)'),
    fraud: words('betrug', 'betrüger' + L, 'abzocke', 'gestohlen'),
  },
  fr: {
    callback: words('rappel(?:er|ez)?-?moi', 'me rappeler', 'contactez-moi', 'me contacter', 'me recontacter', 'appelez-moi', "m'appeler"),
    notify: words('écrivez-moi', "m'écrire", 'tenez-moi au courant', 'prévenez-moi'),
    refund: words(`rembours${L}`, "l'argent", 'mon argent'),
    replacement: words('remplacement', 'remplacer', `échang${L}`, `l'échanger`, 'en renvoyer un'),
    cancel: words(`annul${L}`, `résili${L}`, 'désabonner', 'supprimer mon compte'),
    problem: words(`cassé${L}`, `abîmé${L}`, `défectueu${L}`, 'ne (?:marche|fonctionne) (?:pas|plus)', 'erreurs?', `perdu${L}`, 'plante', 'bug(?:ue)?', `tach(?:e|é)${L}`, `fissur${L}`, `déchir${L}`, 'au lieu d[ue]', "(?:pas|toujours pas) (?:encore )?arrivée?", 'toujours pas', 'impossible de', 'débitée? deux fois', 'deux fois', `mauvais${L} (?:taille|article|produit|couleur)`, 'manquant' + L),
    contact_broken: words('personne (?:ne )?(?:m.a|me) (?:a )?(?:rappelée?|répondue?|contactée?)', 'aucune réponse', 'sans réponse', 'pas de (?:réponse|nouvelles)'),
    urgent: words('urgent' + L, 'urgence', 'immédiatement', 'au plus vite', 'dès que possible', "aujourd'hui"),
    legal: words('avocat', 'porter plainte', 'plainte', 'tribunal', 'action en justice', 'poursuivre en justice', 'association de consommateurs', 'mise en demeure', 'médiateur'),
    chargeback: words('rétrofacturation', 'opposition (?:bancaire|sur ma carte)', 'contester (?:le|ce) (?:paiement|prélèvement)', 'ma banque'),
    safety: words(`blessé${L}`, `brûl${L}`, 'incendie', 'pris feu', 'prendre feu', 'dangereu' + L, 'réaction allergique', 'hôpital', 'électrocut' + L, 'surchauff' + L),
    data_breach: words('fuite de données', `piraté${L}`, 'données bancaires (?:ont été )?utilisées', 'vol de données'),
    fraud: words('fraude', 'arnaque', 'escroquerie', 'volé' + L),
  },
  es: {
    callback: words('llám(?:e|a|en)me', 'llamarme', 'contáct(?:e|a|en)me', 'contactarme', 'devuélvanme la llamada', 'me llamen'),
    notify: words('escríb(?:e|a|an)me', 'escribirme', 'avísenme', 'avísame', 'infórmenme'),
    refund: words(`reembols${L}`, 'devuelvan (?:el|mi) dinero', 'devolver (?:el|mi) dinero', 'devuelvan los', 'me devuelvan'),
    replacement: words('reemplazo', 'sustitución', 'cambi\\p{L}* por', 'uno nuevo', 'una nueva'),
    cancel: words(`cancel${L}`, 'dar(?:me)? de baja', 'darme de baja', 'eliminar mi cuenta', 'borrar mi cuenta'),
    problem: words(`rot${L}`, `dañad${L}`, `defectuos${L}`, 'no funciona', 'falla' + L, 'error(?:es)?', `manch${L}`, `rasgad${L}`, `estropead${L}`, 'en (?:lugar|vez) de', `perdid${L}`, 'no ha llegado', 'todavía no', 'aún no', `equivocad${L}`, 'se despegó', 'se rompió', 'cobrado dos veces', 'dos veces'),
    contact_broken: words('nadie (?:me )?(?:responde|contesta|ha llamado|llamó)', 'sin respuesta'),
    urgent: words('urgente', `inmediat${L}`, 'cuanto antes', 'lo antes posible', 'hoy mismo'),
    legal: words('abogad' + L, `demandar${L}`, 'poner una demanda', `denunci${L}`, 'tribunal' + L, 'acciones legales', 'oficina del consumidor', 'hoja de reclamaciones'),
    chargeback: words('contracargo', 'mi banco', 'devolución del cargo'),
    safety: words(`herid${L}`, `quemad${L}`, `quemadura${L}`, 'incendio', 'fuego', `peligros${L}`, 'reacción alérgica', 'hospital', 'sobrecalent' + L, 'descarga eléctrica'),
    data_breach: words('fuga de datos', `hackead${L}`, 'filtración de datos', 'robo de datos'),
    fraud: words('fraude', 'estafa', 'robad' + L),
  },
};

/** Intents in `text` read in `lang` (and English). */
export function findIntents(text: string, lang: Lang): Set<Intent> {
  const found = new Set<Intent>();
  for (const l of lang === 'en' ? ['en' as const] : [lang, 'en' as const]) {
    for (const [intent, pattern] of Object.entries(PATTERNS[l]) as [Intent, RegExp][]) {
      if (intent === 'urgent' && l === 'en') {
        // "NOW" only in capitals; the other urgency words in any case
        if (/(?<![\p{L}])NOW(?![\p{L}])/u.test(text) || words(`urgent${L}`, 'asap', 'immediately', 'right away', 'right now', 'as soon as possible', 'emergency').test(text)) found.add(intent);
        continue;
      }
      if (pattern.test(text)) found.add(intent);
    }
  }
  return found;
}

/** the customer asks for something or says it is still outstanding ("I want", "bitte", "je voudrais", "quiero", "still waiting") */
const DEMAND = words(
  'want', 'need', "(?:would|'d) like", 'please', 'can you', 'could you', 'i demand', 'still', 'waiting', 'yet',
  'möchte', 'will', 'hätte gern', 'bitte', 'verlange', 'fordere', 'noch', 'warte\\p{L}*',
  'veux', 'voudrais', 'souhaite', 'merci de', 'pouvez-vous', 'exige', 'toujours', "j'attends", 'attends',
  'quiero', 'quisiera', 'necesito', 'por favor', 'pueden', 'exijo', 'todavía', 'aún', 'sigo esperando',
);

/** a refund or replacement the customer demands or is still waiting for, not one they thank for */
export function demandsRefund(text: string, lang: Lang): boolean {
  const i = findIntents(text, lang);
  return (i.has('refund') || i.has('replacement')) && DEMAND.test(text);
}
