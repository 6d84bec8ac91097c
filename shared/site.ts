import { z } from 'zod';
import { isValidTimeZone } from './zoned-time.ts';

/** A topic of the site's taxonomy: extraction assigns conversations to these. */
export const Topic = z.object({
  name: z.string().min(1).max(80),
  description: z.string().default(''),
  examples: z.array(z.string().min(1)).default([]),
});
export type Topic = z.infer<typeof Topic>;

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
/** Opening hours per weekday (0 = Sunday) in the site's time zone. */
export const BusinessHours = z.object({
  timezone: z.string().default('UTC'),
  days: z.array(z.object({ day: z.number().int().min(0).max(6), open: time, close: time })),
});
export type BusinessHours = z.infer<typeof BusinessHours>;

/**
 * A BCP 47 language tag as browsers and people write them ("en", "de-CH", "zh-Hant-TW"): bounded,
 * letters, digits and hyphens only. It indexes string tables and enters prompts, so nothing else
 * ("__proto__", 100 KB of text) gets in.
 */
export const LanguageTag = z
  .string()
  .max(35)
  .regex(/^[a-z]{2,3}(-[a-z0-9]{1,8}){0,5}$/i, 'a language tag like "en" or "de-CH"');
export type LanguageTag = z.infer<typeof LanguageTag>;

/** a widget string's name (e.g. launcherLabel) */
const StringKey = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/i, 'a string name like launcherLabel');

export const SiteSettings = z.object({
  color: z.string().regex(/^#[0-9a-f]{3,8}$/i).default('#4f46e5'),
  position: z.enum(['bottom-right', 'bottom-left']).default('bottom-right'),
  /** the flow a new conversation runs unless the embed asks for another */
  defaultFlow: z.string().default('nps'),
  /** an open conversation with no activity for this long ends */
  idleTimeoutMinutes: z.number().int().min(1).max(7 * 24 * 60).default(30),
  /** default widget language; the embed's data-lang or the browser may choose another */
  locale: LanguageTag.default('en'),
  /** override any widget string, per language: { en: { launcherLabel: 'Talk to us' } } */
  strings: z.record(LanguageTag, z.record(StringKey, z.string().max(2000))).default({}),
  /** the bot's persona for the LLM system prompt */
  persona: z
    .object({ name: z.string().default('Parley'), tone: z.string().default('friendly and concise'), company: z.string().default('') })
    .default({ name: 'Parley', tone: 'friendly and concise', company: '' }),
  topics: z.array(Topic).default([]),
  businessHours: BusinessHours.nullable().default(null),
  /** IANA time zone (e.g. Europe/Berlin): insight charts count days, weeks and months in it */
  timeZone: z.string().refine(isValidTimeZone, 'an IANA time zone name such as Europe/Berlin').default('UTC'),
  /** delete transcripts older than this; null keeps them */
  retentionDays: z.number().int().min(1).nullable().default(null),
});
export type SiteSettings = z.infer<typeof SiteSettings>;

/** An allowed origin: exact ("https://shop.example"), or with a port wildcard ("http://localhost:*"). */
export const OriginPattern = z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin like https://shop.example or http://localhost:*');

export const Site = z.object({
  id: z.string(),
  key: z.string().regex(/^[a-z0-9_-]{2,64}$/i),
  name: z.string().min(1),
  allowedOrigins: z.array(OriginPattern),
  settings: SiteSettings,
  createdAt: z.number().int(),
});
export type Site = z.infer<typeof Site>;

/** What the widget learns about its site (never secrets). */
export const PublicSiteSettings = SiteSettings.pick({ color: true, position: true, locale: true, strings: true }).extend({
  name: z.string(),
  /** a person can answer now (inside business hours, or no hours set) */
  humansAvailable: z.boolean(),
  /** when humans are not available: next opening as epoch ms, if known */
  humansBackAt: z.number().int().nullable(),
});
export type PublicSiteSettings = z.infer<typeof PublicSiteSettings>;
