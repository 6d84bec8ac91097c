import { readFileSync } from 'node:fs';
import { scoreSentiment } from './server/analysis/sentiment.ts';
const rows = readFileSync('bench/data/yelp_labelled.txt','utf8').trim().split('\n').map(l=>{const i=l.lastIndexOf('\t');return {t:l.slice(0,i),y:l.slice(i+1).trim()==='1'}});
let ok=0; for (const r of rows) if ((scoreSentiment(r.t).score>0)===r.y) ok++;
console.log('yelp', ok/rows.length);
