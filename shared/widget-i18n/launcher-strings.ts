/**
 * The few strings the loader needs before the panel exists. Kept apart from the panel's table so
 * the loader (budget: < 3,000 bytes gzipped) does not carry every language's full table. One
 * constant per language, so the panel's bundle keeps English only.
 */
export const launcherEn = { launcherLabel: 'Open chat', unreadLabel: '{n} unread messages' };
export type LauncherStrings = typeof launcherEn;
const launcherDe: LauncherStrings = { launcherLabel: 'Chat öffnen', unreadLabel: '{n} ungelesene Nachrichten' };
const launcherFr: LauncherStrings = { launcherLabel: 'Ouvrir le chat', unreadLabel: '{n} messages non lus' };
const launcherEs: LauncherStrings = { launcherLabel: 'Abrir chat', unreadLabel: '{n} mensajes sin leer' };

export const launcherStrings = { en: launcherEn, de: launcherDe, fr: launcherFr, es: launcherEs };
