/**
 * A site picks any brand colour; text drawn on it (and the colour drawn as text on white) must
 * still read at WCAG AA 4.5:1. Every colour reaches at least 4.58:1 against white or against
 * black, so the widget picks whichever of the two contrasts more. Kept tiny: it ships in the loader.
 */

/** true when white text on `hex` (#rgb, #rgba, #rrggbb or #rrggbbaa; alpha ignored) beats black text */
export function isDark(hex: string): boolean {
  let h = hex.slice(1);
  if (h.length < 6) h = h.replace(/./g, '$&$&');
  // relative luminance; the sRGB curve without its linear toe, which moves it by under 0.001
  const luminance = [0.2126, 0.7152, 0.0722].reduce((sum, weight, i) => sum + weight * ((parseInt(h.substr(i * 2, 2), 16) / 255 + 0.055) / 1.055) ** 2.4, 0);
  // white and black contrast equally (4.58:1) at luminance 0.179; near it both pass AA
  return luminance < 0.179;
}

/** the brand colour, the text colour on it, and the colour for brand-coloured text on white */
export function applyBrandColor(el: HTMLElement, hex: string): void {
  const dark = isDark(hex);
  el.style.setProperty('--pl-color', hex);
  el.style.setProperty('--pl-on', dark ? '#fff' : '#000');
  el.style.setProperty('--pl-ink', dark ? hex : '#000');
}
