/**
 * A small shop-support glossary: German, French and Spanish words (and English synonyms) mapped
 * onto the plain English word a help article would use, so a German question can meet an English
 * article, and a product or place name counts as "an item" / "a country" rather than as something
 * the knowledge base does not know. It is general shop vocabulary, not a list of articles: a
 * concept the knowledge base never mentions (a student discount, deleting an account) stays
 * unknown, which is what lets the bot say "I don't know".
 */
/** English word -> words (any of the four languages) that mean it; lines are "english: words" */
const GLOSSARY = `
cost: kosten kostet costs price priced coute couter coutent cuesta cuestan coste costo costar vaut cheap cheaper cheapest expensive pricey gunstig gunstiger gunstigste billig teuer cher chere moins barato barata caro cara economico
take: dauert dauern dure prend tarda tarde tardan demora lleva
time: zeit temps tiempo delai plazo long lange longtemps minute minutes min mins minuten minutos hour hours stunde stunden heure heures hora horas
week: woche wochen semaine semaines semana semanas
day: tag tage jour jours dia dias monday tuesday wednesday thursday friday montag dienstag mittwoch donnerstag freitag lundi mardi mercredi jeudi vendredi lunes martes miercoles jueves viernes gestern hier ayer
month: monat monate mois mes meses
today: heute aujourdhui hoy fruh morgen morgens abend tomorrow morning tonight yesterday demain matin soir manana temprano tarde noche
weekend: wochenende samstag sonntag samedi dimanche sabado domingo saturday sunday saturdays sundays
receive: bekommen bekomme erhalten erhalte recevoir recois recu recibir recibire recibo get
arrive: ankommen angekommen kommt arrive arrivee arriver llegar llega llego llegado come came
item: artikel produkt ware sache article produit articulo producto thing things stuff product
size: grosse groesse grossere kleinere taille talla small big bigger smaller large klein gross petite petit grand pequeno grande
colour: farbe couleur color green red blue black white navy grey gray pink grun rot blau schwarz weiss grau rosa vert rouge bleu noir blanc gris rose verde rojo azul negro blanco
send: schicken senden envoyer enviar mandar
back: zuruck zurueck
damaged: crack sprung riss gesprungen fissure fissuree grieta rajado broken smashed cracked chipped scratched dented torn ripped shattered zerbrochen gebrochen zerkratzt beschadigt rayé raye fele ebreche dechire brise rayado agrietado desconchado roto rota rotos rotas
money: geld argent dinero betrag montant importe
valid: gultig gueltig valable valide valido validez expire expires ablauf
use: nutzen benutzen verwenden einlosen einloesen utiliser usar utilizar canjear redeem
check: prufen pruefen sehen verifier consulter comprobar consultar ver
balance: guthaben kontostand solde saldo left remaining
email: mail correo courriel
address: adresse direccion house street postcode zip haus strasse hausnummer plz maison rue casa calle piso flat apartment
phone: telefon telephone telefono telefonnummer
call: anrufen appeler llamar
open: offen geoffnet ouvert ouverture abierto abre abren
hours: uhrzeit
free: kostenlos gratis gratuit gratuite gratuito gratuita
wrong: falsch falsche faux fausse erreur equivocado equivocada incorrecto
change: andern aendern changer modifier cambiar modificar
moved: bewegung bewegt bouge bouger mueve movido movement moving updated update updating aktualisiert bewegt stuck bloque atasco actualizado actualiza
placed: aufgegeben passee passe realizado hecho hice placing made
include: inkl inklusive enthalten incl including included incluent inclus incluye incluyen incluido
says: steht zeigt indique marque pone dice shows
split: verteilen aufteilen etaler repartir fraccionar dividir spread
cost: gebuhr gebuehr frais tarifa comision payant kostenpflichtig fee fees charge
order: bestellung bestellt bestellen commande commander pedido pedir pido purchase bought
parcel: paket sendung colis paquete box package
delivered: zugestellt geliefert livre entregado
country: land lander pays pais paises
clothing: kleid jacke hose schuhe pullover hemd shirt tshirt jeans mantel robe veste pantalon chaussures pull chemise vestido chaqueta pantalones zapatos zapatillas camiseta abrigo jersey trainers shoes jumper jacket dress coat trousers
country: deutschland osterreich schweiz frankreich spanien italien niederlande holland belgien irland kanada australien norwegen schweden danemark polen allemagne autriche suisse espagne italie pays-bas belgique irlande etats unis canada australie norvege suede danemark pologne alemania francia espana italia holanda belgica irlanda estados unidos mexico australia noruega suecia dinamarca polonia germany austria switzerland france spain italy netherlands belgium ireland norway sweden denmark poland australia canada usa america
unused: used lit worn wore getragen benutzt gebraucht angezundet porte utilise usado usada puesto encendido
kitchen: candle candles kerze kerzen bougie bougies vela velas rug teppich tapis alfombra towel handtuch serviette toalla blanket decke couverture manta cushion kissen coussin cojin glass glas verre bowl schussel bol cuenco bag tasche sac bolso tasse becher lampe vase teller tasse bol lampe vaso taza lampara jarron plato mug lamp cup plate
`;

const GLOSS = new Map<string, string>();
for (const line of GLOSSARY.trim().split('\n')) {
  const [head, rest] = line.split(':');
  if (!head || !rest) continue;
  for (const w of rest.trim().split(/\s+/)) if (!GLOSS.has(w)) GLOSS.set(w, head.trim());
}

/** words about time and money that many articles share: they count, but less than a topic word */
export const ATTRIBUTES = new Set(['cost', 'take', 'time', 'week', 'day', 'month', 'today', 'receive', 'arrive', 'free', 'check', 'use', 'send']);

/** product categories that stand for "an item" in a help article */
const ITEM_CLASSES = new Set(['clothing', 'kitchen']);

/** the English word a question word (lowercase, no accents) means, or undefined */
export function glossOf(folded: string): string | undefined {
  const head = GLOSS.get(folded);
  return head !== undefined && ITEM_CLASSES.has(head) ? 'item' : head;
}
