/**
 * Yes and no in German, French and Spanish, as whole replies ("ja", "oui, c'est ça", "sí, claro").
 * English yes/no is read by intents.ts; these extend it for confirmations and yes/no questions.
 */
const CONFIRM_YES =
  /^(ja|jawohl|jep|genau|stimmt|richtig|korrekt|passt|oui|ouais|exact|exactement|c'est ca|tout a fait|si|claro|correcto|exacto|eso es|vale|de acuerdo)( (genau|so|c'est ca|eso es|claro))?$/;
const CONFIRM_NO = /^(nein|ne|nee|falsch|stimmt nicht|non|pas du tout|c'est faux|no es correcto|incorrecto|para nada)$/;

const bareReply = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’]/g, "'")
    .replace(/[^a-z' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** "ja", "oui", "sí, eso es": a yes to a confirmation in German, French or Spanish */
export const confirmsYes = (text: string): boolean => CONFIRM_YES.test(bareReply(text));
/** "nein", "non": a no to a confirmation ("no" itself is English and Spanish, read by intents) */
export const confirmsNo = (text: string): boolean => CONFIRM_NO.test(bareReply(text));
