import { ApiError } from '../api/http.ts';

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}

export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div class="banner error" role="alert">
      {errorMessage(error)}
    </div>
  );
}
