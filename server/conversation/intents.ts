/**
 * What a short visitor message means regardless of the question: skip, stop, yes/no, asking for a
 * person, saying goodbye or thanks, in English, German, French and Spanish. Patterns match the
 * whole message (minus politeness), so a long answer that merely contains "stop" is still an
 * answer. Asking for a person is a request ("can I talk to a human", "echte Person bitte"), not
 * any sentence with the word "agent" in it ("my travel agent booked it").
 */

/** quick-reply values the engine offers and the widget sends back */
export const REPLY_VALUES = {
  skip: '__skip',
  yes: 'yes',
  no: 'no',
  solved: 'solved',
  human: 'human',
  another: 'another',
} as const;

/** the last input and its result: one message meets every intent check in turn, each folding it again */
function lastOne(fn: (text: string) => string): (text: string) => string {
  let input: string | null = null;
  let output = '';
  return (text) => {
    if (text !== input) {
      output = fn(text);
      input = text;
    }
    return output;
  };
}

/** lowercase, no accents, apostrophes kept as ', other punctuation as spaces */
const fold = lastOne((text) =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[’']/g, "'")
    .replace(/[^a-z0-9' /-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim(),
);

const POLITENESS =
  /\b(please|pls|plz|ok|okay|um+|uh+|well|just|thanks|thank you|thx|cheers|bitte|danke|danke schon|vielen dank|merci|merci beaucoup|s'il vous plait|s'il te plait|svp|stp|por favor|gracias|muchas gracias|vale)\b/g;

const clean = lastOne((text) => fold(text).replace(POLITENESS, ' ').replace(/\s+/g, ' ').trim());

const SKIP =
  /^(skip( (this|it|that|this one|this question|the question))?|pass|next( question| one)?|i'?d rather not( say| answer)?|rather not( say)?|prefer not to (say|answer)|no comment|n ?\/? ?a|not applicable|move on|i'?ll pass|no answer|uberspringen|weiter|keine angabe|nachste frage|passer|question suivante|je passe|sans reponse|saltar|siguiente|paso|prefiero no (decir|responder)|sin respuesta)$/;
const STOP =
  /^((i want to |can we |let's |lets )?(stop|quit|exit|cancel|end)( (this|it|the survey|the chat|now|here|asking|the questions|survey|chat))*|enough|that'?s enough|i'?m done|i am done|no more( questions)?|leave me alone|go away|unsubscribe|aufhoren|stopp|ich will aufhoren|genug|arrete[rz]?|stop|ca suffit|j'arrete|parar|basta|para ya|dejalo)$/;
const YES_WORDS =
  'y|yes|yeah|yea|yep|yup|ya|sure|of course|definitely|absolutely|certainly|correct|right|that\'?s right|exactly|indeed|affirmative|i do|i did|i would|i have|i am|it is|it was|yes it is|yes please|sounds good|why not|totally|for sure|you bet|ja|jawohl|genau|gerne|gern|klar|sicher|natürlich|naturlich|ja gerne|oui|ouais|bien sur|volontiers|d\'accord|exactement|avec plaisir|si|claro|por supuesto|de acuerdo|exacto|con gusto';
/** one yes, or two in a row ("oui, volontiers", "yes, sure") */
const YES = new RegExp(`^(${YES_WORDS})( (${YES_WORDS}))?$`);
const NO =
  /^(n|no|nope|nah|not really|no way|never|negative|i don'?t|i didn'?t|i wouldn'?t|i haven'?t|i'?m not|it isn'?t|it wasn'?t|not at all|wrong|that'?s wrong|incorrect|no it isn'?t|no that'?s wrong|not quite|don'?t think so|i don'?t think so|no thanks|no thank you|nein|ne|nee|lieber nicht|eher nicht|nicht notig|non|pas vraiment|non merci|pas besoin|no hace falta|para nada|no gracias)$/;
const BYE =
  /^(bye|goodbye|bye bye|that'?s all|that is all|that'?s it|that was all|all good|all set|no that'?s all|nothing else|no nothing else|i'?m good|i'?m all set|that solved it|solved|problem solved|that helps|that helped|great|perfect|got it|awesome|have a (good|nice) (day|one)|see you|cya|no more questions|that answers it|that answers my question|tschuss|tschu|ciao|auf wiedersehen|das war'?s|das wars|das ist alles|alles klar|passt|super|perfekt|erledigt|gelost|hat geholfen|au revoir|bonne journee|c'est tout|ca marche|parfait|genial|resolu|ca m'aide|adios|hasta luego|eso es todo|nada mas|perfecto|resuelto|listo|me sirvio)( bye| tschuss| au revoir| adios)?$/;
/** closing words that also say "that worked" ("great", "perfect"): not after a failed answer */
const PRAISE_ONLY = /^(great|perfect|awesome|got it|that helps|that helped|super|perfekt|alles klar|passt|parfait|genial|perfecto|ok|)$/;
const GREETING =
  /^(hi|hello|hey|hiya|good (morning|afternoon|evening)|howdy|yo|hi there|hello there|hey there|hallo|guten (morgen|tag|abend)|moin|servus|gruss gott|bonjour|bonsoir|salut|coucou|hola|buenas|buenos dias|buenas (tardes|noches))$/;
const THANKS = /\b(thanks|thank you|thx|cheers|danke|vielen dank|merci|gracias)\b/;

/** "talk to a person" and the like: a verb of reaching someone, and a person */
const REACH =
  /\b(talk|speak|chat|connect|transfer|put me through|get me|need|want|reach|contact|sprechen|reden|verbinden|weiterleiten|durchstellen|chatten|erreichen|parler|discuter|joindre|contacter|passer|mettre en relation|transferer|hablar|comunicar(me)?|pasar(me)?|contactar|conectar(me)?|transferir(me)?)\b/;
const PERSON =
  /\b(human|humans|a person|real person|live person|actual person|someone|somebody|an agent|a live agent|live agent|a representative|representative|an operator|operator|staff|member of (staff|your team)|customer service|support team|your team|mensch|menschen|echten person|echte person|person|mitarbeiter|mitarbeiterin|berater|beraterin|jemand|jemandem|kundendienst|kundenservice|quelqu'un|quelqu un|humain|une personne|vraie personne|conseiller|conseillere|operateur|service client|persona|humano|agente|alguien|asesor|asesora|operador|representante|atencion al cliente)\b/;
/** a message that is nothing but a person ("human", "agent please", "echte Person") */
const PERSON_ALONE =
  /^(an? )?(human|real person|live person|person|agent|live agent|operator|representative|customer service|mensch|echte person|mitarbeiter|humain|vraie personne|conseiller|agent humain|humano|persona real|agente|operador)$/;
/** "my travel agent", "the agent said": someone the visitor already dealt with is not a request */
const ABOUT_SOMEONE_ELSE = /\b(my|our|his|her|their|the|your|mein|meine|unser|mon|ma|notre|le|la|mi|nuestro|el)\s+(travel |insurance |estate |delivery )?(agent|representative|operator|berater|agente|conseiller|asesor)\b/;

const SOMEONE_HELP =
  /\b((can|could|would) (a (real )?person|someone|somebody|a human|an agent|anyone) (please )?help|kann (mir )?(bitte )?(jemand|ein mensch|ein mitarbeiter) (mir )?helfen|(quelqu'un|une personne|un conseiller) (peut|pourrait) m'aider|(alguien|una persona|un agente) (me )?(puede|podria) ayudar)\b/;

export const isSkip = (text: string) => SKIP.test(clean(text));
export const isStop = (text: string) => STOP.test(clean(text));
export const isYes = (text: string) => {
  const c = clean(text);
  return c === '' ? /\b(ok|okay|vale)\b/i.test(text) : YES.test(c);
};
export const isNo = (text: string) => NO.test(clean(text));

export function wantsHuman(text: string): boolean {
  const f = fold(text);
  const c = clean(text);
  if (PERSON_ALONE.test(c)) return true;
  if (/\b(real|echte[nr]?|vraie|vrai|real) (person|human|mensch|personne|persona|humano)\b/.test(f) || /\b(etre humain|persona real|ser humano)\b/.test(f)) return true;
  // "can someone help me?", "kann mir jemand helfen?", "quelqu'un peut m'aider ?", "¿alguien me puede ayudar?"
  if (SOMEONE_HELP.test(f)) return true;
  if (!REACH.test(f) || !PERSON.test(f)) return false;
  // "my travel agent booked it, can I change it?" names someone; it does not ask for one
  return !(ABOUT_SOMEONE_ELSE.test(f) && !/\b(human|person|someone|somebody|mensch|jemand|quelqu|humain|alguien|humano|persona)\b/.test(f));
}

export const isGreeting = (text: string) => GREETING.test(clean(text));
/** "thanks" alone also closes: clean() drops it, leaving nothing */
export const isGoodbye = (text: string) => {
  const c = clean(text);
  return c === '' ? THANKS.test(fold(text)) : BYE.test(c);
};
/**
 * "great", "perfect", "thanks": a closing that means "that worked". After an answer that did
 * not help it is polite noise, not a sign the problem is solved.
 */
export const isThanksOnly = (text: string) => {
  const c = clean(text);
  return (c === '' && THANKS.test(fold(text))) || (c !== '' && PRAISE_ONLY.test(c));
};
