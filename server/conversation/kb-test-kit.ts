/**
 * For tests: the demo knowledge base grown past WHOLE_KB_CHARS with product-care articles no
 * support question in the tests asks about, so a speculative answer request carries lexical
 * candidates only (a small knowledge base goes whole).
 */
import type { KbEntry } from '../../shared/flow.ts';
import { loadKbDir } from './example-kb.ts';

const MATERIALS = ['linen', 'wool', 'leather', 'ceramics', 'cotton', 'silk'];

export function largeKbEntries(): KbEntry[] {
  const care = MATERIALS.map((m) => ({
    id: `care-${m}`,
    title: `Caring for ${m}`,
    tags: [`${m} care`],
    body: [
      `Our ${m} pieces last for years with a little attention. Read the label sewn inside first: it names the temperature and the programme that suit this ${m} best.`,
      `Keep ${m} out of strong sunlight and away from radiators, let it breathe in a cool cupboard, and brush off dust gently with a soft brush before storing it for the season.`,
      `Small marks on ${m} usually lift with cold water and a drop of mild soap; dab, never rub, and let it dry flat on a towel at room temperature.`,
    ].join('\n\n'),
  }));
  return [...loadKbDir(), ...care];
}
