import { useEffect, useState } from 'preact/hooks';
import type { AdminSite } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { href, type Route } from '../shell/route.ts';

/** The sites the caller can see, and which one a per-site page shows (the route's, else the first). */
export function useSites(siteId: string | undefined): { sites: AdminSite[] | null; current: AdminSite | null } {
  const { api } = useApp();
  const [sites, setSites] = useState<AdminSite[] | null>(null);
  useEffect(() => {
    api.listSites().then((r) => setSites(r.sites), () => setSites([]));
  }, [api]);
  const current = sites?.find((s) => s.id === siteId) ?? sites?.[0] ?? null;
  return { sites, current };
}

export function SitePicker({ sites, current, route }: { sites: AdminSite[]; current: AdminSite | null; route: 'rules' | 'webhooks' }) {
  if (sites.length < 2) return null;
  return (
    <label class="field compact">
      <span>Site</span>
      <select
        value={current?.id ?? ''}
        onChange={(e) => {
          const next: Route = { name: route, siteId: e.currentTarget.value };
          location.hash = href(next);
        }}
      >
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}
