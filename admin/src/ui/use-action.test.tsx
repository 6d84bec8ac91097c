import { act, cleanup, renderHook } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { useAction } from './use-action.ts';

afterEach(cleanup);

describe('useAction', () => {
  it('keeps a failure as the error and clears it on the next run', async () => {
    const { result } = renderHook(() => useAction());
    expect(result.current.error).toBeNull();

    const boom = new Error('boom');
    let failed: string | undefined = 'unset';
    await act(async () => {
      failed = await result.current.run<string>(() => Promise.reject(boom));
    });
    expect(failed).toBeUndefined();
    expect(result.current.error).toBe(boom);

    let ok: number | undefined;
    await act(async () => {
      ok = await result.current.run(async () => 42);
    });
    expect(ok).toBe(42);
    expect(result.current.error).toBeNull();
  });

  it('lets the caller set the error directly', async () => {
    const { result } = renderHook(() => useAction());
    await act(() => result.current.setError('nope'));
    expect(result.current.error).toBe('nope');
  });
});
