import { describe, expect, it } from 'vitest';
import { applyBrandColor, isDark } from './brand-color.ts';

/** the exact WCAG 2.1 contrast ratio, to check the loader's shortcut against */
function contrast(a: string, b: string): number {
  const full = (hex: string) => (hex.length < 7 ? hex.slice(1).replace(/./g, '$&$&') : hex.slice(1));
  const lum = (hex: string) =>
    [0, 2, 4].reduce((sum, i, k) => {
      const c = parseInt(full(hex).slice(i, i + 2), 16) / 255;
      return sum + [0.2126, 0.7152, 0.0722][k]! * (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    }, 0);
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const hex = (n: number) => `#${n.toString(16).padStart(6, '0')}`;

describe('brand colour contrast', () => {
  it('puts white text on dark brands and black text on pale ones', () => {
    expect(isDark('#4f46e5')).toBe(true); // the default indigo
    expect(isDark('#000')).toBe(true);
    expect(isDark('#1e3a8a')).toBe(true);
    expect(isDark('#fde047')).toBe(false); // pale yellow
    expect(isDark('#ff0')).toBe(false);
    expect(isDark('#ffffff80')).toBe(false); // alpha is ignored
  });

  it('reaches WCAG AA 4.5:1 for text on the colour and for the colour as text on white, whatever the colour', () => {
    // a spread of colours, including greys right at the point where white and black tie
    const colours = ['#767676', '#777777', '#757575', '#6e6e6e', '#808080', '#0077cc', '#e11d48', '#16a34a', '#f59e0b'];
    // and 3000 more spread over the whole cube by a fixed-seed generator (same colours every run)
    for (let i = 0, seed = 12345; i < 3000; i++) colours.push(hex((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 0x1000000));
    for (const c of colours) {
      const el = document.createElement('div');
      applyBrandColor(el, c);
      const on = el.style.getPropertyValue('--pl-on');
      const ink = el.style.getPropertyValue('--pl-ink');
      expect(el.style.getPropertyValue('--pl-color')).toBe(c);
      expect(contrast(on, c), `text ${on} on ${c}`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(ink, '#ffffff'), `${ink} text on white for brand ${c}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});
