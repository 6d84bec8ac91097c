import { describe, expect, it } from 'vitest';
import { createCircuit } from './circuit.ts';
import { LlmError } from './types.ts';

describe('createCircuit', () => {
  let t = 0;
  const circuit = () => createCircuit({ failures: 2, cooldownMs: 1_000, now: () => t });
  const down = new LlmError('timeout', 'slow');

  it('opens after consecutive outages, refuses calls during the cooldown, then lets one trial through', () => {
    t = 0;
    const c = circuit();
    c.failure(down);
    expect(() => c.check()).not.toThrow();
    c.failure(down);
    expect(() => c.check()).toThrow(LlmError);
    t = 999;
    expect(() => c.check()).toThrow(/not calling it/);
    t = 1_000;
    expect(() => c.check()).not.toThrow();
    // the trial fails: open again at once
    c.failure(down);
    expect(() => c.check()).toThrow();
    t = 2_000;
    c.success();
    c.failure(down);
    expect(() => c.check()).not.toThrow();
  });

  it('a success resets the count, and malformed replies or 4xx do not count', () => {
    t = 0;
    const c = circuit();
    c.failure(down);
    c.success();
    c.failure(down);
    expect(() => c.check()).not.toThrow();
    c.failure(new LlmError('malformed', 'junk'));
    c.failure(new LlmError('http', 'bad request', 400));
    expect(() => c.check()).not.toThrow();
  });
});
