import { ConversationsPage } from '../conversations/conversations-page.tsx';
import { TranscriptPage } from '../conversations/transcript-page.tsx';
import { FlowsPage } from '../flows/flows-page.tsx';
import { IngestPage } from '../ingest/ingest-page.tsx';
import { JobsPage } from '../jobs/jobs-page.tsx';
import { EmailsPage } from '../reach/emails-page.tsx';
import { SitePage } from '../sites/site-page.tsx';
import { SitesPage } from '../sites/sites-page.tsx';
import { AuditPage } from '../audit/audit-page.tsx';
import { TeamPage } from '../team/team-page.tsx';
import { OverviewPage } from '../overview/overview-page.tsx';
import { InboxPage } from '../inbox/inbox-page.tsx';
import { RulesPage } from '../respond/rules-page.tsx';
import { TeamsPage } from '../respond/teams-page.tsx';
import { WebhooksPage } from '../respond/webhooks-page.tsx';
import { href, type Route } from './route.ts';

export function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'overview':
      return <OverviewPage />;
    case 'conversations':
      return <ConversationsPage key={href(route)} initialFilters={route.filters} />;
    case 'conversation':
      return <TranscriptPage key={route.id} id={route.id} />;
    case 'sites':
      return <SitesPage />;
    case 'site':
      return <SitePage key={route.id} id={route.id} />;
    case 'flows':
      return <FlowsPage siteId={route.siteId} flowId={route.flowId} />;
    case 'jobs':
      return <JobsPage />;
    case 'ingest':
      return <IngestPage />;
    case 'emails':
      return <EmailsPage />;
    case 'team':
      return <TeamPage />;
    case 'audit':
      return <AuditPage />;
    case 'inbox':
      return <InboxPage />;
    case 'rules':
      return <RulesPage siteId={route.siteId} />;
    case 'webhooks':
      return <WebhooksPage siteId={route.siteId} />;
    case 'teams':
      return <TeamsPage />;
  }
}
