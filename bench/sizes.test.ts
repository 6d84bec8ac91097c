import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUDGET, measureSizes } from './sizes.ts';

const root = join(fileURLToPath(import.meta.url), '..', '..');

// `npm test` builds first; this is the "fail npm test if the built files exceed the budget".
describe('widget size budget (gzip -9 of the built files)', () => {
  const sizes = measureSizes(root);

  it('a host page downloads under 3 KB (3,000 bytes) before the visitor opens the chat', () => {
    expect(sizes.beforeOpen).toBeLessThan(BUDGET.beforeOpen);
  });

  it('everything loaded once the chat is open stays under 30 KB (30,000 bytes)', () => {
    expect(sizes.whenOpen).toBeLessThan(BUDGET.whenOpen);
  });
});
