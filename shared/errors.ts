/**
 * Error codes every ack and HTTP error body may carry. Plain constants (no zod) so the
 * widget can import them without pulling a validator into the host page.
 */
export const ERROR_CODES = [
  /** the payload failed its schema */
  'invalid_payload',
  /** no site with that key */
  'unknown_site',
  /** the page's origin is not in the site's allowed origins */
  'origin_not_allowed',
  /** a visitor message over the size limit */
  'message_too_long',
  /** too many connections or messages; `retryAfterMs` may say when to try again */
  'rate_limited',
  /** the visitor token is unknown or expired */
  'invalid_token',
  /** identify() with a userHash that does not match */
  'invalid_user_hash',
  /** the thing named does not exist or is not yours */
  'not_found',
  /** the conversation has ended; start a new one */
  'conversation_ended',
  /** no session (admin) or no valid credentials */
  'unauthorized',
  /** signed in, but not allowed to do this */
  'forbidden',
  /** missing or wrong CSRF token */
  'csrf',
  /** a conflicting state (e.g. already taken over) */
  'conflict',
  /** the server cannot write right now (disk full, read-only database): try again shortly, nothing was stored */
  'storage_unavailable',
  /** anything unexpected; details are logged, never sent */
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AckError {
  ok: false;
  error: { code: ErrorCode; message: string; retryAfterMs?: number; issues?: { path: string; message: string; line?: number }[] };
}
export type AckOk<T extends object = object> = { ok: true } & T;
export type Ack<T extends object = object> = AckOk<T> | AckError;

/** An expected failure: becomes an error ack / HTTP error body instead of a crash. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { retryAfterMs?: number; issues?: { path: string; message: string; line?: number }[] } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
  toAck(): AckError {
    return { ok: false, error: { code: this.code, message: this.message, ...this.extra } };
  }
}

/** Limits the widget and server agree on. */
export const LIMITS = {
  /** longest visitor message, in characters */
  MESSAGE_MAX_CHARS: 2000,
  /** client message ids are opaque strings of this length range */
  CLIENT_ID_MIN: 8,
  CLIENT_ID_MAX: 64,
} as const;
