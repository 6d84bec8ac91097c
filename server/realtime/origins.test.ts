import { describe, expect, it } from 'vitest';
import { originAllowed } from './origins.ts';
import { clientIp, requestOrigin } from './visitor.ts';

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

describe('request identity', () => {
  it('uses X-Forwarded-For only when told the server sits behind a proxy', () => {
    const headers = { 'x-forwarded-for': '203.0.113.7, 198.51.100.1' };
    expect(clientIp('10.0.0.1', headers, false)).toBe('10.0.0.1');
    expect(clientIp('10.0.0.1', headers, 1)).toBe('198.51.100.1');
    expect(clientIp('10.0.0.1', headers, 2)).toBe('203.0.113.7');
    expect(clientIp('10.0.0.1', headers, ['10.0.0.0/8'])).toBe('198.51.100.1');
    expect(clientIp('10.0.0.1', {}, 1)).toBe('10.0.0.1');
  });
  it('a same-origin request without Origin is judged by its Host; a sandboxed page ("null") by nothing', () => {
    expect(requestOrigin({ origin: 'https://shop.example' }, true)).toBe('https://shop.example');
    expect(requestOrigin({ host: 'localhost:3000' }, false)).toBe('http://localhost:3000');
    expect(requestOrigin({ origin: 'null', host: 'localhost:3000' }, false)).toBeNull();
  });
});
