import { AppError } from '../../shared/errors.ts';
import type { Keyset } from '../store/reviews.ts';

/** The list cursor is the last row's (startedAt, id), opaque to clients. */
export function encodeCursor(k: Keyset): string {
  return Buffer.from(`${k.startedAt}:${k.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Keyset {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(\d{1,16}):([\w-]{1,64})$/.exec(text);
  if (!m) throw new AppError('invalid_payload', 'cursor: not a cursor from a previous page');
  return { startedAt: Number(m[1]), id: m[2]! };
}
