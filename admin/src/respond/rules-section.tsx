/** The transcript's "Rules" section: which routing rules fired for this conversation, why, and what they did. */
import { useEffect, useState } from 'preact/hooks';
import type { RuleFiring } from '../../../shared/rules.ts';
import { useApp } from '../app-context.ts';
import { capitalize, formatDateTime } from '../ui/format.ts';
import type { ConversationRouting } from './respond-api.ts';

export function RulesSection({ conversationId }: { conversationId: string }) {
  const { api } = useApp();
  const [data, setData] = useState<{ firings: RuleFiring[]; routing: ConversationRouting | null } | null>(null);
  useEffect(() => {
    api.conversationRules(conversationId).then(setData, () => setData({ firings: [], routing: null }));
  }, [api, conversationId]);
  if (!data) return null;
  const { firings, routing } = data;
  return (
    <section class="card panel" aria-labelledby="rules-heading">
      <div class="panel-head">
        <h2 id="rules-heading">Rules</h2>
        {routing && routing.priority !== 'normal' && <span class={`badge priority-${routing.priority}`}>{capitalize(routing.priority)} priority</span>}
      </div>
      {routing?.followUpDueAt && <p class="small">Follow-up due {formatDateTime(routing.followUpDueAt)}{routing.followUpUrgency ? ` · ${routing.followUpUrgency}` : ''}</p>}
      {firings.length === 0 ? (
        <p class="muted small">No rule fired for this conversation.</p>
      ) : (
        <ul class="firings">
          {firings.map((f) => (
            <li key={f.id}>
              <span class="cell-main">{f.ruleName}</span> <span class="muted small">{formatDateTime(f.firedAt)}</span>
              <div class="small">Why: {f.reasons.join('; ')}</div>
              <div class="small">Did: {f.actions.join('; ')}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
