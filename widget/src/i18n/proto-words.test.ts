import { describe, expect, it } from 'vitest';
import { fill } from './pick-lang.ts';

describe('string placeholders are looked up by own keys only', () => {
  it('a placeholder named like an Object property stays as written', () => {
    expect(fill('Hi {constructor}, {toString} {name}', { name: 'Ana' })).toBe('Hi {constructor}, {toString} Ana');
  });
});
