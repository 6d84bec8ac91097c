import { describe, expect, it } from 'vitest';
import { benchFirstTokenSocket } from './first-token-socket.ts';

describe('benchFirstTokenSocket', () => {
  it('streams a support answer from the fake upstream through the real server and reports it beside the upstream', async () => {
    const rows = await benchFirstTokenSocket({ samples: 2, warmup: 0 });
    expect(rows.map((r) => r.name)).toEqual([
      'first token via socket.io + server, median',
      'first token via socket.io + server, p99',
      'server added latency to first token, median',
      'server added latency to first token, p99',
    ]);
    for (const r of rows.slice(0, 2)) {
      expect(r.value).toBeGreaterThan(0);
      expect(r.baseline).toBeGreaterThan(0);
    }
  });
});
