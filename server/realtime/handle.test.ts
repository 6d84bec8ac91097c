import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { createLogger } from '../logger.ts';
import { handle } from './handle.ts';

const schema = z.object({ n: z.number() });
const log = createLogger('silent');

function ackOf(listener: (...args: unknown[]) => void, ...args: unknown[]): Promise<unknown> {
  return new Promise((resolve) => listener(...args, resolve));
}

describe('handle()', () => {
  it('validates before calling, and acks { ok: true, ...result }', async () => {
    const seen: unknown[] = [];
    const h = handle('t', schema, (p) => (seen.push(p), { doubled: p.n * 2 }), log);
    expect(await ackOf(h, { n: 2 })).toEqual({ ok: true, doubled: 4 });
    expect(await ackOf(h, { n: 'two' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', issues: [{ path: 'n' }] } });
    expect(seen).toEqual([{ n: 2 }]);
  });

  it('an AppError becomes its own ack; anything else is acked internal without details', async () => {
    const app = handle('t', schema, () => {
      throw new AppError('conflict', 'Taken.');
    }, log);
    const crash = handle('t', schema, async () => {
      throw new Error('db password is hunter2');
    }, log);
    expect(await ackOf(app, { n: 1 })).toEqual({ ok: false, error: { code: 'conflict', message: 'Taken.' } });
    const res = await ackOf(crash, { n: 1 });
    expect(res).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(res)).not.toContain('hunter2');
  });

  it('copes with no ack, a payload-less emit and an ack that throws', async () => {
    let calls = 0;
    const h = handle('t', z.object({}), () => (calls++, {}), log);
    h({});
    expect(await new Promise((resolve) => h(resolve))).toEqual({ ok: true });
    h({}, () => {
      throw new Error('client gone');
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toBe(3);
  });
});
