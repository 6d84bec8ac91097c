/** What every screen needs from outside: the REST API, the live socket and who is signed in. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AdminApi } from './api/admin-api.ts';
import type { LiveClient } from './api/live.ts';
import type { AdminUser } from './api/types.ts';

export interface AppServices {
  api: AdminApi;
  live: LiveClient;
  user: AdminUser | null;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside <AppContext.Provider>');
  return ctx;
}
