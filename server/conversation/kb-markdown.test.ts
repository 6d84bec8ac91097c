import { describe, expect, it } from 'vitest';
import { parseKbMarkdown } from './kb-markdown.ts';

describe('parseKbMarkdown', () => {
  it('reads the title, optional tags and body', () => {
    expect(parseKbMarkdown('x', '# Returns\n\nTags: return, refund\n\nSend it back within 30 days.\n')).toEqual({
      id: 'x',
      title: 'Returns',
      body: 'Send it back within 30 days.',
      tags: ['return', 'refund'],
    });
    expect(parseKbMarkdown('y', '\n# Hours\nOpen 9-5.').tags).toEqual([]);
  });
  it('rejects a file without a title heading', () => {
    expect(() => parseKbMarkdown('z', 'Just text')).toThrow(/Title/);
  });
});
