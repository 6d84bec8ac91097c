/**
 * fetch wrapper for /api/admin: JSON in and out, the CSRF header on every state change, and
 * `{ ok: false, error }` bodies turned into ApiError so screens can show the server's message.
 */
import type { ErrorCode } from '../../../shared/errors.ts';

export type ClientErrorCode = ErrorCode | 'network';

export class ApiError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly status: number,
    readonly issues: { path: string; message: string; line?: number }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface HttpOptions {
  base: string;
  fetchFn?: typeof fetch;
  /** called on any 401 so the shell can show the login screen */
  onUnauthorized?: () => void;
}

export function toSearch(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

interface ErrorBody {
  ok: false;
  error: { code: ErrorCode; message: string; issues?: { path: string; message: string; line?: number }[] };
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null || !('ok' in body) || body.ok !== false) return false;
  return 'error' in body && typeof body.error === 'object' && body.error !== null;
}

export function createHttp(opts: HttpOptions) {
  const fetchFn = opts.fetchFn ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let csrfToken = '';

  async function request<T>(method: string, path: string, body?: unknown, query?: Query, raw?: { body: Blob | string; type: string }): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (raw) headers['content-type'] = raw.type;
    if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
    let res: Response;
    try {
      res = await fetchFn(`${opts.base}${path}${toSearch(query)}`, {
        method,
        headers,
        credentials: 'same-origin',
        body: raw ? raw.body : body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError('network', 'The server cannot be reached. Check your connection and try again.', 0);
    }
    const parsed: unknown = await res.json().catch(() => null);
    if (res.status === 401) opts.onUnauthorized?.();
    if (isErrorBody(parsed)) {
      throw new ApiError(parsed.error.code, parsed.error.message, res.status, parsed.error.issues ?? []);
    }
    if (!res.ok || parsed === null) {
      throw new ApiError(res.status === 401 ? 'unauthorized' : 'internal', `The server answered ${res.status}.`, res.status);
    }
    return parsed as T;
  }

  return {
    setCsrfToken(token: string) {
      csrfToken = token;
    },
    get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
    post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
    put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
    patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
    del: <T>(path: string) => request<T>('DELETE', path),
    /** POST a file as it is (uploads); never parsed as JSON on the way */
    upload: <T>(path: string, query: Query, file: Blob | string) => request<T>('POST', path, undefined, query, { body: file, type: 'application/octet-stream' }),
    url: (path: string, query?: Query) => `${opts.base}${path}${toSearch(query)}`,
  };
}
export type Http = ReturnType<typeof createHttp>;
