/**
 * Contact details a visitor typed: the first valid e-mail address and phone number.
 * Phones go through libphonenumber-js (full metadata): only numbers valid for their country count
 * (kept as written, so a reply can quote them as the customer knows them),
 * read with the visitor's or site's country as default. Order numbers, customer numbers, dates,
 * amounts and postcodes are not phones: a candidate right after an id word ("order", "#",
 * "Bestellnummer", "commande", "pedido", ...) is skipped, and a bare run of digits with no
 * separators, no "+" and no phone word nearby ("call", "Telefon", "appelez", "llámenme") too.
 */
import { createRequire } from 'node:module';
import type { CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

type PhoneLib = typeof import('libphonenumber-js/max');
let phoneLib: PhoneLib | null = null;
/** libphonenumber-js with full metadata is loaded on the first text with enough digits (CLIs start faster) */
function phones(): PhoneLib {
  phoneLib ??= createRequire(import.meta.url)('libphonenumber-js/max') as PhoneLib;
  return phoneLib;
}

export interface Contact {
  email: string | null;
  /** as the visitor wrote it ("020 7946 0958"), checked valid for its country */
  phone: string | null;
}

const EMAIL_CANDIDATE = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
const EmailAddress = z.email();

/** The first candidate that is a well-formed address (no leading/trailing/double dots, a real TLD shape). */
export function findEmail(text: string): string | null {
  for (const m of text.matchAll(EMAIL_CANDIDATE)) {
    const candidate = m[0].replace(/\.+$/, '');
    if (EmailAddress.safeParse(candidate).success) return candidate;
  }
  return null;
}

const ID_WORD =
  /(?:order|ord|invoice|ref|reference|ticket|case|tracking|account|customer|id|no|nr|n°|nº|#|bestell\p{L}*|auftrag\p{L}*|kunden\p{L}*|rechnung\p{L}*|sendung\p{L}*|vorgang\p{L}*|commande|facture|dossier|client|colis|pedido|factura|cliente|envío|seguimiento|número de pedido)\s*(?:number|nummer|nr\.?|no\.?|n°|nº|#|:|-)?\s*(?:is\s+|ist\s+|est\s+|es\s+)?$/iu;
const PHONE_WORD =
  /(?:call|phone|tel|telephone|mobile|cell|ring|reach|whatsapp|number is|on|at|ruf\p{L}*|telefon\p{L}*|handy|mobil\p{L}*|nummer|erreichbar|unter|rappel\p{L}*|appel\p{L}*|téléphone|portable|joindre|au|llam\p{L}*|teléfono|móvil|celular|al)\W{0,3}(?:\p{L}+\W+){0,3}$/iu;

/** at least seven digits, possibly with separators: anything shorter is no phone number */
const ENOUGH_DIGITS = /\d(?:[\s().\/-]{0,3}\d){6,}/;

export function findPhone(text: string, defaultCountry?: CountryCode): string | null {
  if (!ENOUGH_DIGITS.test(text)) return null;
  for (const m of phones().findNumbers(text, { ...(defaultCountry ? { defaultCountry } : {}), v2: true })) {
    if (!m.number.isValid()) continue;
    const written = text.slice(m.startsAt, m.endsAt);
    const before = text.slice(Math.max(0, m.startsAt - 40), m.startsAt);
    if (ID_WORD.test(before)) continue;
    const international = /^\s*(?:\+|00)/.test(written);
    const separated = /\d[\s().-]+\d/.test(written);
    if (!international && !separated && !PHONE_WORD.test(before)) continue;
    // dates (12.03.2024, 2024-03-12) and amounts (1.299,00) are not phones even when valid-looking
    if (/^\d{1,4}[./-]\d{1,2}[./-]\d{2,4}$/.test(written.trim()) || /[.,]\d{2}$/.test(written.trim())) continue;
    return written.trim();
  }
  return null;
}

/** A phone number in international form, checked: its E.164 and national digits, or null when invalid. */
export function parsePhone(written: string): { e164: string; national: string } | null {
  const parsed = phones().parsePhoneNumberFromString(written);
  return parsed?.isValid() ? { e164: parsed.number, national: parsed.nationalNumber } : null;
}

/** "de-AT" -> "AT", "fr" -> "FR", "en" -> null (English says nothing about the country) */
export function countryOf(locale: string | null | undefined): CountryCode | undefined {
  if (!locale) return undefined;
  const [lang, region] = locale.replace('_', '-').split('-');
  if (region && /^[A-Za-z]{2}$/.test(region)) return region.toUpperCase() as CountryCode;
  const byLang: Record<string, CountryCode> = { de: 'DE', fr: 'FR', es: 'ES' };
  return lang && Object.hasOwn(byLang, lang.toLowerCase()) ? byLang[lang.toLowerCase()] : undefined;
}

/** English says nothing about the country: national numbers are tried as these, in order */
const ENGLISH_COUNTRIES: CountryCode[] = ['US', 'GB', 'IE', 'CA', 'AU'];

export function findContact(texts: string[], defaultCountry?: CountryCode): Contact {
  let email: string | null = null;
  let phone: string | null = null;
  for (const t of texts) {
    email ??= findEmail(t);
    // an address's digits are not a phone number
    const rest = t.replace(EMAIL_CANDIDATE, ' ');
    for (const country of defaultCountry ? [defaultCountry] : ENGLISH_COUNTRIES) {
      phone ??= findPhone(rest, country);
      if (phone) break;
    }
  }
  return { email, phone };
}
