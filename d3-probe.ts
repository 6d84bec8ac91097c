import { findIntents } from './server/analysis/lang/intents.ts';
import { detectLanguage } from './server/text/language.ts';
const t = 'Ruft mich bitte an, 0176 98765432';
console.log(detectLanguage(t), [...findIntents(t, 'de')]);
