import { render } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import type { AdminApi } from '../api/admin-api.ts';
import type { LiveClient } from '../api/live.ts';
import { AppContext } from '../app-context.ts';
import { owner } from './fixtures.ts';

export function renderWithApp(ui: ComponentChildren, api: AdminApi, live: LiveClient) {
  return render(<AppContext.Provider value={{ api, live, user: owner }}>{ui}</AppContext.Provider>);
}
