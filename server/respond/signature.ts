/**
 * Webhook signatures: HMAC-SHA256 with the endpoint's secret over `${timestamp}.${body}`, sent as
 * `Parley-Timestamp: <unix seconds>` and `Parley-Signature: v1=<hex>`. Receivers recompute it over
 * the raw body and reject old timestamps (replays). README shows the receiver side.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Parley-Signature';
export const TIMESTAMP_HEADER = 'Parley-Timestamp';

export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** what a receiver does: the same HMAC, compared in constant time, within a tolerance */
export function verify(secret: string, header: string | undefined, timestamp: string | undefined, body: string, toleranceSec = 300, nowSec = Math.floor(Date.now() / 1000)): boolean {
  if (!header || !timestamp || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSec - Number(timestamp)) > toleranceSec) return false;
  const expected = Buffer.from(sign(secret, Number(timestamp), body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
