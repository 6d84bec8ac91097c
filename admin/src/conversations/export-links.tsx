import type { ConversationFilters } from '../api/types.ts';
import { useApp } from '../app-context.ts';

/** plain links: the browser streams the download itself, with the session cookie */
export function ExportLinks({ filters }: { filters: ConversationFilters }) {
  const { api } = useApp();
  return (
    <div class="export" role="group" aria-label="Export">
      <span class="muted">Export filtered</span>
      <a class="button" href={api.exportUrl(filters, 'csv')} download>
        CSV
      </a>
      <a class="button" href={api.exportUrl(filters, 'json')} download>
        JSON
      </a>
    </div>
  );
}
