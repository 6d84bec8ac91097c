/**
 * Hash routes (#/conversations/ID) so the server only has to serve index.html at /admin/ and
 * a reload keeps the screen.
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'conversations' }
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

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [head, a, b] = parts;
  if (head === 'conversations' && a) return { name: 'conversation', id: a };
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
  return { name: 'conversations' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'conversations':
      return '#/conversations';
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
