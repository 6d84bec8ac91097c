import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import type { AdminUser } from '../api/types.ts';
import { href, type Route } from './route.ts';
import { useWaitingCount } from './use-waiting-count.ts';
import { useFollowUpCount } from '../inbox/use-follow-up-count.ts';

interface Props {
  route: Route;
  user: AdminUser;
  onSignOut: () => void;
  children: ComponentChildren;
}

const NAV: { label: string; route: Route; section: Route['name'][]; ownerOnly?: boolean }[] = [
  { label: 'Overview', route: { name: 'overview' }, section: ['overview'] },
  { label: 'Conversations', route: { name: 'conversations' }, section: ['conversations', 'conversation'] },
  { label: 'Follow-ups', route: { name: 'inbox' }, section: ['inbox'] },
  { label: 'Sites', route: { name: 'sites' }, section: ['sites', 'site'] },
  { label: 'Rules', route: { name: 'rules' }, section: ['rules'] },
  { label: 'Webhooks', route: { name: 'webhooks' }, section: ['webhooks'], ownerOnly: true },
  { label: 'Flows', route: { name: 'flows' }, section: ['flows'] },
  { label: 'Ingest', route: { name: 'ingest' }, section: ['ingest'] },
  { label: 'Jobs', route: { name: 'jobs' }, section: ['jobs'] },
  { label: 'E-mails', route: { name: 'emails' }, section: ['emails'] },
  { label: 'Team', route: { name: 'team' }, section: ['team'] },
  { label: 'Teams', route: { name: 'teams' }, section: ['teams'] },
  { label: 'Audit log', route: { name: 'audit' }, section: ['audit'], ownerOnly: true },
];

export function Layout({ route, user, onSignOut, children }: Props) {
  const section = NAV.find((item) => item.section.includes(route.name));
  const waiting = useWaitingCount();
  const followUps = useFollowUpCount();
  useEffect(() => {
    document.title = `${waiting ? `(${waiting}) ` : ''}${section ? `${section.label} · Parley` : 'Parley'}`;
  }, [section?.label, waiting]);
  return (
    <div class="layout">
      <nav class="sidebar" aria-label="Main">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true" />
          Parley
        </div>
        <ul>
          {NAV.filter((item) => !item.ownerOnly || user.role === 'owner').map((item) => {
            const current = item.section.includes(route.name);
            return (
              <li key={item.label}>
                <a href={href(item.route)} class={current ? 'active' : ''} aria-current={current ? 'page' : undefined}>
                  {item.label}
                  {item.route.name === 'inbox' && followUps !== null && followUps.open > 0 && (
                    <span class={`nav-count${followUps.overdue > 0 ? ' overdue' : ''}`} title="Open follow-ups (overdue)">
                      {followUps.open} open{followUps.overdue > 0 ? ` · ${followUps.overdue} overdue` : ''}
                    </span>
                  )}
                  {item.route.name === 'conversations' && waiting > 0 && (
                    <span class="nav-count" title="Visitors waiting for a person">
                      {waiting} waiting
                    </span>
                  )}
                </a>
              </li>
            );
          })}
        </ul>
        <div class="sidebar-foot">
          <div class="user">
            <span class="user-name">{user.name}</span>
            <span class="muted small">
              {user.email} · {user.role}
            </span>
          </div>
          <button type="button" class="button link" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </nav>
      <main class="content">{children}</main>
    </div>
  );
}
