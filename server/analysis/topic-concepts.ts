/**
 * A second, lexical route to a site's topics, beside the kNN over example phrases: customer-service
 * concepts (delivery, defects, sizes, prices, payment, the shop, staff, stock, accounts, returns),
 * each a set of English words. A topic owns concepts in proportion to how often its name,
 * description and examples use them (computed from the site's own definitions, so any English
 * taxonomy works); a text's concepts vote for the topics that own them. This catches short or
 * unusual wording the few examples do not cover ("do you ship to Canada?", "the zip broke").
 */
import type { Topic } from '../../shared/site.ts';
import { words } from './lang/tokens.ts';
import type { TopicScore } from './topic-matcher.ts';

const CONCEPTS: [string, RegExp][] = [
  ['delivery', words('ship', 'ships', 'shipping', 'shipped', 'shipment', 'deliver\\p{L}*', 'arriv\\p{L}*', 'parcels?', 'packages?', 'courier\\p{L}*', 'tracking', 'dispatch\\p{L}*', 'late', 'on time', 'express', 'rebook')],
  ['defect', words('broke', 'broken', 'break\\p{L}*', 'damaged', 'defect\\p{L}*', 'faulty', 'quality', 'fabric', 'material', 'zip', 'zipper', 'seam', 'stitch\\p{L}*', 'melt\\p{L}*', 'smok\\p{L}*', 'fell apart', 'came loose', 'sturdy', 'well made', 'made', 'soft', 'counterfeit', 'label', 'waterproof', 'wet', 'leak\\p{L}*', 'stain\\p{L}*', 'crack\\p{L}*', 'ruin\\p{L}*', 'soak\\p{L}*', 'photos?', 'colou?r', 'look\\p{L}*', 'gorgeous', 'works?', 'product', 'collection', 'sole')],
  ['size', words('sizes?', 'sizing', 'fits?', 'fitting', 'small', 'large', 'big', 'tight', 'loose', 'glove', 'true to size', 'size chart', 'smaller', 'bigger')],
  ['price', words('prices?', 'pricing', 'expensive', 'cheap\\p{L}*', 'costs?', 'discount\\p{L}*', 'coupons?', 'code', 'value', '\\d+ ?% off', 'saved', 'went up', 'going up')],
  ['payment', words('charg\\p{L}*', 'payments?', 'pay', 'card', 'invoices?', 'billing', 'vat', 'declined', 'paypal', 'twice', 'bank')],
  ['shop', words('site', 'website', 'app', 'checkout', 'cart', 'page', 'error', 'crash\\p{L}*', 'logs? (?:me )?out', 'slow', 'search', 'load', 'bug\\p{L}*', 'chrome', 'safari')],
  ['service', words('support', 'service', 'agent', 'staff', 'on hold', 'hold', 'repl(?:y|ies|ied)', 'helpful', 'rude', 'call ?back', 'called', 'manager', 'friendly', 'ignor\\p{L}*', 'got back', 'get back', 'disconnected', 'sorted')],
  ['stock', words('stock', 'in stock', 'out of stock', 'sold out', 'available', 'unavailable', 'backordered', 'restock')],
  ['account', words('account', 'log ?in', 'logged', 'password', 'cancel\\p{L}*', 'subscription', 'order history', 'address', 'hacked', 'delete')],
  ['return', words('return\\p{L}*', 'refund\\p{L}*', 'exchange', 'send (?:it |them )?back', 'sent (?:it |them )?back', 'money back', 'replacement', 'return policy')],
];

export function conceptsOf(text: string): string[] {
  return CONCEPTS.filter(([, re]) => re.test(text)).map(([name]) => name);
}

export function createConceptScorer(topics: Topic[]) {
  // share[concept][topic]: how much of the concept's use in the definitions is this topic's
  const counts = new Map<string, Map<string, number>>();
  for (const t of topics) {
    for (const piece of [t.name, t.description, ...t.examples]) {
      for (const c of conceptsOf(piece)) {
        let byTopic = counts.get(c);
        if (!byTopic) counts.set(c, (byTopic = new Map()));
        byTopic.set(t.name, (byTopic.get(t.name) ?? 0) + 1);
      }
    }
  }
  return (text: string): TopicScore[] => {
    const scores = new Map<string, number>();
    for (const c of conceptsOf(text)) {
      const byTopic = counts.get(c);
      if (!byTopic) continue;
      const total = [...byTopic.values()].reduce((a, b) => a + b, 0);
      for (const [name, n] of byTopic) scores.set(name, Math.max(scores.get(name) ?? 0, n / total));
    }
    return [...scores].map(([name, score]) => ({ name, score })).sort((a, b) => b.score - a.score);
  };
}
