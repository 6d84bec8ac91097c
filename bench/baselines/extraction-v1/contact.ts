/** Contact details a visitor typed: the first email address and phone number found. */
export interface Contact {
  email: string | null;
  phone: string | null;
}

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i;
// Digits with the usual separators, optionally international; 7-15 digits (E.164 allows 15).
const PHONE = /(?:\+|\b00)?\(?\d[\d\s().-]{5,20}\d\b/g;

export function findEmail(text: string): string | null {
  return EMAIL.exec(text)?.[0] ?? null;
}

export function findPhone(text: string): string | null {
  for (const m of text.matchAll(PHONE)) {
    const candidate = m[0].trim();
    const digits = candidate.replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15) continue;
    // Dates and order numbers look like digits too: skip ISO dates and long unbroken runs without a + or separator.
    if (/^\d{4}-\d{2}-\d{2}$/.test(candidate)) continue;
    if (/^\d+$/.test(candidate) && digits.length > 11) continue;
    return candidate;
  }
  return null;
}

export function findContact(texts: string[]): Contact {
  let email: string | null = null;
  let phone: string | null = null;
  for (const t of texts) {
    email ??= findEmail(t);
    // An email's digits are not a phone number.
    phone ??= findPhone(email ? t.replace(EMAIL, ' ') : t);
  }
  return { email, phone };
}
