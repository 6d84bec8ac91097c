import { splitSentences } from './server/analysis/lang/tokens.ts';
console.log(splitSentences('Ich habe die Jacke am 2. Mai zurückgeschickt und warte seit drei Wochen auf meine Rückerstattung von 89,90 €. Das ist echt ärgerlich.'));
console.log(splitSentences('Ruft mich bitte an, 0176 98765432'));
