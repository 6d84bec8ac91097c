/**
 * Word lists for rule-based sentiment in German, French and Spanish (and the English domain rules
 * layered over the trained English model). Written for customer-service text: delivery, refunds,
 * defects, staff, prices. Valences run from -3 to 3, as in VADER/AFINN. Words are given as
 * written and stemmed with Snowball at load time; lookups go through Maps only.
 *
 * Words that are also English words ("Gift" poison, "Bad" bathroom, "fast" almost, "hell" bright,
 * "also" so, "die" the) are read only through the German lists in German text, never through an
 * English lexicon; the ones that matter are listed here with their German valence.
 */
import { stem, type Lang } from './tokens.ts';

export interface SentimentLexicon {
  /** stem -> valence */
  valence: Map<string, number>;
  /** lower-case words that negate the next few words */
  negators: Set<string>;
  /** lower-case word -> multiplier for the next sentiment word (>1 boosts, <1 dampens) */
  intensifiers: Map<string, number>;
  /** contrast: the clause after weighs more ("but", "aber", "mais", "pero") */
  contrastAfter: Set<string>;
  /** concession: the clause it opens weighs less ("although", "obwohl", "bien que", "aunque") */
  concession: Set<string>;
  /** positive words that sarcasm turns ("great", "toll", "génial", "genial") */
  sarcasmProne: Set<string>;
  /** thanks and politeness words: weigh little next to a request */
  politeness: Set<string>;
  /** phrases that carry sentiment the words alone do not (events, idioms, sarcasm markers) */
  phrases: { pattern: RegExp; valence: number; sarcasm?: boolean }[];
}

function valences(lang: Lang, spec: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of spec.trim().split(/\s+/)) {
    const at = item.lastIndexOf(':');
    const word = item.slice(0, at).replace(/_/g, ' ');
    out.set(stem(word.toLowerCase(), lang), Number(item.slice(at + 1)));
    out.set(word.toLowerCase(), Number(item.slice(at + 1)));
  }
  return out;
}
const set = (s: string) => new Set(s.trim().split(/\s+/).map((w) => w.replace(/_/g, ' ')));
const mults = (s: string) => new Map(s.trim().split(/\s+/).map((i) => [i.slice(0, i.lastIndexOf(':')), Number(i.slice(i.lastIndexOf(':') + 1))] as [string, number]));
const B = '(?<![\\p{L}\\p{M}\\p{N}])';
const E = '(?![\\p{L}\\p{M}\\p{N}])';
const re = (src: string) => new RegExp(`${B}(?:${src})${E}`, 'iu');

const DE = `
gut:2 gute:2 guter:2 besten:2.5 bestens:2.5 super:2.5 toll:2.5 tolle:2.5 klasse:2.5 prima:2 perfekt:3 perfekte:3 hervorragend:3
ausgezeichnet:3 exzellent:3 fantastisch:3 wunderbar:3 wunderschön:3 schön:2 schöne:2 schnell:1.5 schnelle:1.5 freundlich:2 freundliche:2
hilfsbereit:2 geholfen:1.5 zufrieden:2 begeistert:3 liebe:2 lieben:2 gerne:1 gern:1 danke:1.5 dank:1 empfehlen:2 empfehlenswert:2.5
pünktlich:1.5 sauber:1.5 bequem:2 angenehm:2 günstig:1 preiswert:1.5 top:2.5 spitze:2.5 genial:2.5 lecker:2 hochwertig:2 stabil:1.5
einwandfrei:2.5 problemlos:2 unkompliziert:2 reibungslos:2 glücklich:2.5 freue:2 großartig:3 kompetent:2 zuverlässig:2 weiterempfehlen:2.5
schlecht:-2.5 schlechte:-2.5 schlechter:-2.5 schlimm:-2.5 furchtbar:-3 schrecklich:-3 katastrophe:-3 katastrophal:-3 enttäuscht:-2.5
enttäuschend:-2.5 enttäuschung:-2.5 ärgerlich:-2.5 verärgert:-2.5 sauer:-2 wütend:-3 frech:-2 unfreundlich:-2.5 unverschämt:-3
unmöglich:-2 kaputt:-2.5 defekt:-2.5 beschädigt:-2.5 fehlerhaft:-2 fehler:-1.5 falsch:-1.5 falsche:-1.5 falschen:-1.5 langsam:-1.5
teuer:-1.5 leider:-1.5 schade:-1.5 mangelhaft:-2.5 billig:-1 niemand:-1.5 verloren:-2 verspätet:-2 verspätung:-2 spät:-1.5 gefährlich:-3
problem:-1.5 probleme:-1.5 ärger:-2 frust:-2 frustrierend:-2.5 nervig:-2 lächerlich:-2.5 betrug:-3 abzocke:-3 aufgegangen:-2
gerissen:-2 zerkratzt:-2 fleck:-1.5 fleckig:-2 gesprungen:-2 zerbrochen:-2.5 undicht:-2 nass:-1 ruiniert:-2.5 verschmutzt:-2 unzufrieden:-2.5 miserabel:-3 grottig:-3 peinlich:-2 zumutung:-3 ausverkauft:-0.5
gift:0 bad:0 fast:0 hell:0 also:0 die:0 bald:0 rat:0 kind:0 mist:-1.5`;

const FR = `
bon:1.5 bonne:1.5 bien:1.5 super:2.5 génial:2.5 excellent:3 excellente:3 parfait:3 parfaite:3 parfaitement:2.5 impeccable:2.5
magnifique:3 merveilleux:3 top:2 ravi:3 ravie:3 content:2 contente:2 satisfait:2 satisfaite:2 heureux:2.5 heureuse:2.5 aimable:2
agréable:2 réactif:2 réactive:2 rapide:1.5 rapidement:1.5 efficace:2 confortable:2 joli:1.5 jolie:1.5 beau:2 belle:2 recommande:2
recommanderai:2 recommander:2 merci:1.5 adore:3 aime:2 aimais:1 bravo:2 doux:1.5 soigné:2 professionnel:2 formidable:3 sympa:2
mauvais:-2.5 mauvaise:-2.5 nul:-3 nulle:-3 horrible:-3 affreux:-3 catastrophique:-3 catastrophe:-3 déçu:-2.5 déçue:-2.5
décevant:-2.5 déception:-2.5 inadmissible:-3 inacceptable:-3 scandaleux:-3 honteux:-3 lent:-1.5 lente:-1.5 cher:-1.5 chère:-1.5
cassé:-2.5 cassée:-2.5 abîmé:-2.5 abîmée:-2.5 défectueux:-2.5 perdu:-2 perdue:-2 erreur:-1.5 problème:-1.5 retard:-2 dommage:-1.5
malheureusement:-1.5 grave:-2 dangereux:-3 énervé:-2.5 furieux:-3 impossible:-1.5 arnaque:-3 fraude:-3 pire:-3 insatisfait:-2.5
inutile:-2 fâché:-2.5 tache:-1.5 taché:-2 tachée:-2 fissuré:-2 fissurée:-2 rayé:-1.5 rayée:-1.5 plante:-1.5 bug:-1.5 mouillé:-1 ruiné:-2.5 trempé:-1.5 déchiré:-2 déchirée:-2 lamentable:-3 médiocre:-2.5 agacé:-2`;

const ES = `
bueno:2 buena:2 buen:2 buenísimo:3 buenísima:3 bien:1.5 genial:2.5 excelente:3 perfecto:3 perfecta:3 estupendo:3 estupenda:3
maravilloso:3 fantástico:3 encanta:3 encantado:2.5 encantada:2.5 contento:2 contenta:2 satisfecho:2 satisfecha:2 feliz:2.5 amable:2
amables:2 rápido:1.5 rápida:1.5 rapidísimo:2.5 enseguida:1.5 gracias:1.5 recomiendo:2 recomendable:2 bonito:1.5 bonita:1.5
bonitas:1.5 bonitos:1.5 cómodo:2 cómoda:2 resolvieron:1.5 eficaz:2 eficiente:2 agradecido:2 guay:2 precioso:2.5 preciosa:2.5
malo:-2.5 mala:-2.5 mal:-2 pésimo:-3 pésima:-3 horrible:-3 terrible:-3 fatal:-3 decepcionado:-2.5 decepcionada:-2.5 decepción:-2.5
decepcionante:-2.5 roto:-2.5 rota:-2.5 dañado:-2.5 defectuoso:-2.5 lento:-1.5 lenta:-1.5 caro:-1.5 equivocado:-2 equivocada:-2
perdido:-2 error:-1.5 problema:-1.5 retraso:-2 tarde:-1 peligroso:-3 vergüenza:-3 indignante:-3 inaceptable:-3 desastre:-3 molesto:-2
enfadado:-2.5 enfadada:-2.5 harto:-2.5 harta:-2.5 estafa:-3 fraude:-3 lamentablemente:-1.5 desgraciadamente:-1.5 nadie:-1.5
falla:-2 despegó:-2 peor:-2.5 inútil:-2 mancha:-1.5 manchado:-2 manchada:-2 rayado:-1.5 rayada:-1.5 agrietado:-2 roto:-2.5 mojado:-1 estropeado:-2.5 estropeada:-2.5 descosido:-2 rasgado:-2 sobrecalentó:-2.5 agotado:-0.5`;

// English: only domain words the trained model (review data) does not know well.
const EN = `
refund:0 disconnected:-1.5 ignored:-2 ignoring:-2 unanswered:-2 backordered:-1.5 counterfeit:-3 hacked:-2.5 crushed:-1.5
smoking:-1.5 melted:-2 burned:-2.5 broke:-2 ripped:-2 torn:-2 missing:-1.5 lost:-1.5 gorgeous:3 allergic:-2 scratched:-1.5 dented:-1.5 stained:-1.5 cracked:-2 ruined:-2.5 soaked:-1.5 leaking:-2 shattered:-2.5 mouldy:-2.5 moldy:-2.5 faulty:-2 defective:-2`;

const LEXICONS: Record<Lang, () => SentimentLexicon> = {
  de: () => ({
    valence: valences('de', DE),
    negators: set('nicht nichts kein keine keinen keinem keiner keines nie niemals ohne weder'),
    intensifiers: mults('sehr:1.4 total:1.3 extrem:1.5 echt:1.3 wirklich:1.3 absolut:1.4 äußerst:1.5 besonders:1.3 so:1.2 zu:1.2 richtig:1.3 etwas:0.6 bisschen:0.6 eher:0.7 ziemlich:0.9 kaum:0.5'),
    contrastAfter: set('aber jedoch allerdings trotzdem dennoch sondern'),
    concession: set('obwohl zwar wenngleich'),
    sarcasmProne: set('toll super klasse prima danke dank großartig genial spitze wunderbar perfekt'),
    politeness: set('danke dank bitte'),
    phrases: [
      { pattern: re('(?:immer|noch) noch nicht|noch immer nicht|bis heute nicht'), valence: -2 },
      { pattern: re('noch nicht'), valence: -1 },
      { pattern: re('nicht (?:angekommen|geliefert|da|erhalten|bekommen)'), valence: -2 },
      { pattern: re('(?:funktioniert|geht|klappt|wirkt|passt) (?:\\p{L}+ )?(?:gar |überhaupt )?nicht'), valence: -2 },
      { pattern: re('stimmt nicht|hat sich niemand|niemand (?:meldet|antwortet|hat)'), valence: -1.5 },
      { pattern: re('warte(?:n)? (?:seit|immer noch|noch immer)'), valence: -1.5 },
      { pattern: re('na toll|na super|vielen dank auch|danke auch|danke für nichts'), valence: -2.5, sarcasm: true },
      { pattern: re('gerne wieder|gern wieder|bestell\\p{L}* (?:\\p{L}+ ){0,4}wieder|wieder bestellen|kaufe (?:\\p{L}+ ){0,3}wieder'), valence: 2 },
      { pattern: re('zu (?:klein|groß|eng|weit|kurz|lang)'), valence: -1 },
      { pattern: re('(?:\\d+|zwei|drei|vier|fünf|sechs|zehn) (?:tage|wochen|monate) für (?:ein|eine|das|die|mein|meine)'), valence: -1.5 },
      { pattern: re('statt (?:de[rsmn]|dem|die|das)|anstatt'), valence: -1 },
      { pattern: re('gar nicht|überhaupt nicht'), valence: -0.5 },
      { pattern: re('danke im voraus|vielen dank im voraus'), valence: -1 },
      { pattern: re('kein problem|keine probleme|nichts auszusetzen'), valence: 1.5 },
      { pattern: re('nicht (?:angewendet|berücksichtigt|akzeptiert|angenommen|gültig|korrigiert)|zweimal (?:\\p{L}+ ){0,3}abgebucht|doppelt abgebucht'), valence: -1.5 },
    ],
  }),
  fr: () => ({
    valence: valences('fr', FR),
    negators: set("ne n pas jamais rien aucun aucune sans ni"),
    intensifiers: mults('très:1.4 vraiment:1.3 trop:1.3 tellement:1.4 extrêmement:1.5 hyper:1.4 super:1.3 si:1.2 assez:0.8 plutôt:0.8 légèrement:0.6 peu:0.6'),
    contrastAfter: set('mais cependant pourtant toutefois néanmoins'),
    concession: set('bien_que même_si malgré quoique'),
    sarcasmProne: set('génial bravo merci super parfait formidable excellent magnifique'),
    politeness: set('merci svp'),
    phrases: [
      { pattern: re('toujours pas|toujours rien|et rien'), valence: -2.5 },
      { pattern: re('pas encore'), valence: -1 },
      { pattern: re("j'attends toujours|j'attends depuis"), valence: -1.5 },
      { pattern: re('pas (?:\\p{L}+ )?du tout'), valence: -0.5 },
      { pattern: re('(?:\\d+|deux|trois|quatre|cinq|six|sept|huit|dix) (?:jours|semaines|mois) pour (?:un|une|le|la|mon|ma)'), valence: -1.5 },
      { pattern: re('au lieu d[ue]'), valence: -1 },
      { pattern: re("n'?(?:est|a) (?:toujours |pas |jamais )*(?:pas |jamais )?(?:arrivée?|livrée?|reçue?)"), valence: -2 },
      { pattern: re('ne (?:marche|fonctionne) (?:pas|plus)|(?:marche|fonctionne) pas'), valence: -2 },
      { pattern: re('encore (?:un|une) (?:\\p{L}+ )?(?:perdue?|cassée?|erreur)'), valence: -1, sarcasm: true },
      { pattern: re("merci d'avance|merci par avance"), valence: -1 },
      { pattern: re('aucun problème|pas de problème|rien à redire'), valence: 1.5 },
      { pattern: re('je (?:re)?commanderai|je recommande'), valence: 1.5 },
      { pattern: re("j'aimais(?: bien)?|ont (?:beaucoup )?augmenté"), valence: -1.5 },
      { pattern: re('débitée? deux fois|prélevée? deux fois'), valence: -1.5 },
    ],
  }),
  es: () => ({
    valence: valences('es', ES),
    negators: set('no nunca jamás ni sin tampoco'),
    intensifiers: mults('muy:1.4 súper:1.4 super:1.4 realmente:1.3 demasiado:1.3 tan:1.3 totalmente:1.3 poco:0.6 algo:0.7 bastante:0.9'),
    contrastAfter: set('pero sin_embargo aun_así'),
    concession: set('aunque'),
    sarcasmProne: set('genial gracias perfecto estupendo maravilloso fantástico bien'),
    politeness: set('gracias favor'),
    phrases: [
      { pattern: re('todavía no|aún no|y nada|sigo esperando|seguimos esperando'), valence: -2 },
      { pattern: re('no (?:ha|han) llegado|no llegó|no funciona|no responde'), valence: -2 },
      { pattern: re('otra vez|de nuevo'), valence: -0.5, sarcasm: true },
      { pattern: re('para nada|en absoluto'), valence: -0.5 },
      { pattern: re('(?:\\d+|dos|tres|cuatro|cinco|seis|diez) (?:días|semanas|meses) para (?:un|una|el|la|mi)'), valence: -1.5 },
      { pattern: re('en (?:lugar|vez) de'), valence: -1 },
      { pattern: re('muchas gracias, de verdad|gracias por nada'), valence: -1, sarcasm: true },
      { pattern: re('volveré a comprar|volver[eé] a pedir|repetiré'), valence: 2 },
      { pattern: re('gracias de antemano'), valence: -1 },
      { pattern: re('ningún problema|sin problemas?|nada que objetar'), valence: 1.5 },
      { pattern: re('cobrado dos veces|cobraron dos veces'), valence: -1.5 },
    ],
  }),
  en: () => ({
    valence: valences('en', EN),
    negators: set("not no never nothing nobody none neither nor cannot without hardly don't doesn't didn't isn't wasn't aren't weren't haven't hasn't hadn't won't wouldn't can't couldn't shouldn't"),
    intensifiers: mults('very:1.4 really:1.3 so:1.3 extremely:1.5 super:1.4 totally:1.3 absolutely:1.4 incredibly:1.5 slightly:0.6 somewhat:0.7 bit:0.6 little:0.7 kinda:0.7'),
    contrastAfter: set('but however yet'),
    concession: set('although though'),
    sarcasmProne: set('great fantastic amazing wonderful brilliant perfect lovely thanks thank nice wow awesome super'),
    politeness: set('thanks thank please'),
    phrases: [
      { pattern: re("still (?:not|no|nothing|waiting|haven'?t|hasn'?t|isn'?t)|not yet|nobody (?:called|answered|replied|got back)|never (?:arrived|came|heard|got)"), valence: -2 },
      { pattern: re('(?:took|takes) (?:\\d+|two|three|four|five|six|ten) (?:days|weeks|months)|(?:\\d+|two|three|four|five|six|ten) (?:days|weeks|months) (?:for|to get) (?:a|one|my|the)|instead of|waited (?:\\d+|an|over an) (?:minutes|hours?|days|weeks)'), valence: -1.5 },
      { pattern: re("oh (?:great|wonderful|fantastic|perfect|brilliant|joy)|just (?:great|perfect|wonderful)|thanks for nothing|yeah right|(?:great|fantastic|amazing|nice) job,? (?:guys|everyone|team)?,? really|'\\p{L}+' (?:shipping|delivery|service)"), valence: -2.5, sarcasm: true },
      { pattern: re('(?:order|ordering|ordered|buy|buying|shop|shopping) (?:\\p{L}+ ){0,3}again|(?:ordered|bought) (?:\\d+|two|three|a few) more|will (?:definitely )?be back|would (?:definitely )?recommend'), valence: 3 },
      { pattern: re('spot on|like a glove|and it did|nice one'), valence: 1.5 },
      { pattern: re('worked (?:fine|perfectly|great)'), valence: 1.5 },
      { pattern: re('appreciate it|much appreciated'), valence: 1.5 },
      { pattern: re('charged (?:me )?twice|double charged'), valence: -1.5 },
      { pattern: re("thanks in advance"), valence: -1 },
      { pattern: re('nothing wrong|no problems?|no complaints|no issues'), valence: 1.5 },
      { pattern: re("(?:second|third|fourth|fifth|\\d+(?:st|nd|rd|th)) (?:time|parcel|package|order|delivery)|i'?m done|switching to|logs? me out|eats my cart|this is serious|coming apart|falling apart"), valence: -1.5 },
      { pattern: re('runs? (?:a )?(?:full |half )?size (?:small|large|big)|too (?:small|big|tight|short|long)'), valence: -1 },
    ],
  }),
};

const loaded = new Map<Lang, SentimentLexicon>();
export function lexiconFor(lang: Lang): SentimentLexicon {
  let l = loaded.get(lang);
  if (!l) loaded.set(lang, (l = LEXICONS[lang]()));
  return l;
}
