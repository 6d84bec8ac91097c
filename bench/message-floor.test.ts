import { describe, expect, it } from 'vitest';
import { sqliteMessageFloorUs } from './message-floor.ts';

describe('message floor', () => {
  // the statements are copies of the store's: a schema change that breaks them shows here, not in a bench run
  it("runs a visitor message's statements against the current schema and reports CPU per message", () => {
    const us = sqliteMessageFloorUs({ active: 5, batch: 3, batches: 5 });
    expect(Number.isFinite(us)).toBe(true);
    expect(us).toBeGreaterThan(0);
  });
});
