import { useCallback, useState } from 'preact/hooks';

export interface Action {
  /** the last failure, for ErrorBanner; null when the last run succeeded */
  error: unknown;
  setError: (error: unknown) => void;
  /** Clear the error, await fn, and keep its failure as the error (resolving to undefined) instead of throwing. */
  run: <T>(fn: () => Promise<T>) => Promise<T | undefined>;
}

/** The clear-try-catch shape of an async handler whose failure is shown in an ErrorBanner. */
export function useAction(): Action {
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setError(null);
    try {
      return await fn();
    } catch (err) {
      setError(err);
      return undefined;
    }
  }, []);
  return { error, setError, run };
}
