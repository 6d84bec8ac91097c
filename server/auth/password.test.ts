import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.ts';

describe('scrypt password hashes', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(h).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hashPassword('same-password')).not.toBe(await hashPassword('same-password'));
  });

  it('refuses malformed or tampered hashes instead of throwing', async () => {
    const h = await hashPassword('pw-12345678');
    expect(await verifyPassword('pw-12345678', 'plain-text')).toBe(false);
    expect(await verifyPassword('pw-12345678', h.replace(/\$[^$]+$/, '$AAAA'))).toBe(false);
    expect(await verifyPassword('pw-12345678', h.replace('scrypt$32768', 'scrypt$999999999'))).toBe(false);
  });
});
