/**
 * Hash routes (#/conversations/ID) so the server only has to serve index.html at /admin/ and
 * a reload keeps the screen.
 */
import { useEffect, useState } from 'preact/hooks';
import { ConversationFilters as FiltersSchema } from '../../../shared/admin-api.ts';
import type { ConversationFilters } from '../api/types.ts';

export type Route =
  | { name: 'overview' }
  /** filters ride in the URL (#/conversations?flowId=nps&from=...), so a chart can link to its transcripts */
  | { name: 'conversations'; filters?: ConversationFilters }
  | { name: 'conversation'; id: string }
  | { name: 'sites' }
  | { name: 'site'; id: string }
  | { name: 'flows'; siteId?: string; flowId?: string }
  | { name: 'jobs' }
  | { name: 'ingest' }
  | { name: 'emails' }
  | { name: 'team' }
  | { name: 'audit' }
  | { name: 'inbox' }
  | { name: 'rules'; siteId?: string }
  | { name: 'webhooks'; siteId?: string }
  | { name: 'teams' };

/** URL query -> transcript filters; a value that does not parse is dropped, the rest kept */
export function filtersFromQuery(query: string): ConversationFilters | undefined {
  const raw: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) if (Object.hasOwn(FiltersSchema.shape, k)) raw[k] = v;
  if (Object.keys(raw).length === 0) return undefined;
  let r = FiltersSchema.safeParse(raw);
  if (!r.success) {
    for (const issue of r.error.issues) delete raw[String(issue.path[0])];
    r = FiltersSchema.safeParse(raw);
  }
  return r.success ? r.data : undefined;
}

export function filtersToQuery(filters: ConversationFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') params.set(k, String(v));
  return params.toString();
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, a, b] = parts;
  if (head === 'conversations' && a) return { name: 'conversation', id: a };
  if (head === 'conversations') {
    const filters = filtersFromQuery(query);
    return filters ? { name: 'conversations', filters } : { name: 'conversations' };
  }
  if (head === 'sites' && a) return { name: 'site', id: a };
  if (head === 'sites') return { name: 'sites' };
  if (head === 'flows') return { name: 'flows', siteId: a, flowId: b };
  if (head === 'jobs') return { name: 'jobs' };
  if (head === 'ingest') return { name: 'ingest' };
  if (head === 'emails') return { name: 'emails' };
  if (head === 'team') return { name: 'team' };
  if (head === 'audit') return { name: 'audit' };
  if (head === 'inbox') return { name: 'inbox' };
  if (head === 'rules') return a ? { name: 'rules', siteId: a } : { name: 'rules' };
  if (head === 'webhooks') return a ? { name: 'webhooks', siteId: a } : { name: 'webhooks' };
  if (head === 'teams') return { name: 'teams' };
  return { name: 'overview' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'overview':
      return '#/overview';
    case 'conversations': {
      const q = route.filters ? filtersToQuery(route.filters) : '';
      return q ? `#/conversations?${q}` : '#/conversations';
    }
    case 'conversation':
      return `#/conversations/${encodeURIComponent(route.id)}`;
    case 'sites':
      return '#/sites';
    case 'site':
      return `#/sites/${encodeURIComponent(route.id)}`;
    case 'flows':
      return ['#/flows', route.siteId, route.flowId].filter(Boolean).map((p, i) => (i ? encodeURIComponent(p ?? '') : p)).join('/');
    case 'jobs':
      return '#/jobs';
    case 'ingest':
      return '#/ingest';
    case 'emails':
      return '#/emails';
    case 'team':
      return '#/team';
    case 'audit':
      return '#/audit';
    case 'inbox':
      return '#/inbox';
    case 'rules':
    case 'webhooks':
      return route.siteId ? `#/${route.name}/${encodeURIComponent(route.siteId)}` : `#/${route.name}`;
    case 'teams':
      return '#/teams';
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
