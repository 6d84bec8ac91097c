/**
 * The few strings the loader needs before the panel exists. Kept apart from the panel's table so
 * the loader (budget: < 3 KB gzipped) does not carry every language's full table.
 */
export const launcherStrings = {
  en: { launcherLabel: 'Open chat', unreadLabel: '{n} unread messages' },
  de: { launcherLabel: 'Chat öffnen', unreadLabel: '{n} ungelesene Nachrichten' },
  fr: { launcherLabel: 'Ouvrir le chat', unreadLabel: '{n} messages non lus' },
  es: { launcherLabel: 'Abrir chat', unreadLabel: '{n} mensajes sin leer' },
};
export type LauncherStrings = (typeof launcherStrings)['en'];
