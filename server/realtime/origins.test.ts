import { describe, expect, it } from 'vitest';
import { originAllowed } from './origins.ts';

describe('allowed origins', () => {
  const patterns = ['https://shop.example', 'http://localhost:*'];
  it('matches exact origins and any port of a wildcard host', () => {
    expect(originAllowed('https://shop.example', patterns)).toBe(true);
    expect(originAllowed('http://localhost:3000', patterns)).toBe(true);
    expect(originAllowed('http://localhost', patterns)).toBe(true);
  });
  it('refuses look-alikes, other schemes and other ports', () => {
    expect(originAllowed('https://shop.example.evil.test', patterns)).toBe(false);
    expect(originAllowed('http://shop.example', patterns)).toBe(false);
    expect(originAllowed('https://shop.example:8443', patterns)).toBe(false);
    expect(originAllowed('https://localhost:3000', patterns)).toBe(false);
    expect(originAllowed('http://localhost.evil.test:3000', patterns)).toBe(false);
    expect(originAllowed('null', patterns)).toBe(false);
  });
});
