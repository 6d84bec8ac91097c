import { createHmac, timingSafeEqual } from 'node:crypto';

/** hex HMAC-SHA256 of the user id with the site's identity secret (as Intercom and Chatwoot do) */
export function userHash(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId).digest('hex');
}

/** constant-time comparison, so response timing does not leak how much of a guess was right */
export function verifyUserHash(secret: string, userId: string, hash: string): boolean {
  const expected = Buffer.from(userHash(secret, userId), 'hex');
  const given = /^[0-9a-f]+$/i.test(hash) && hash.length % 2 === 0 ? Buffer.from(hash, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
