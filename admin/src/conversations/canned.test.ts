import { describe, expect, it } from 'vitest';
import { fillCanned } from './canned.ts';

describe('canned placeholders', () => {
  it('fills the known ones and leaves words that are Object properties as written', () => {
    const ctx = { visitorName: 'Ana', agentName: 'Ben', siteName: 'Acme' };
    expect(fillCanned('Hi {{visitor.name}}, {{constructor}} {{__proto__}} {{toString}} from {{site.name}}', ctx)).toBe(
      'Hi Ana, {{constructor}} {{__proto__}} {{toString}} from Acme',
    );
  });
});
