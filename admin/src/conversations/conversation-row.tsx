import type { ConversationSummary } from '../api/types.ts';
import { href } from '../shell/route.ts';
import { NpsBadge, SentimentBadge, StatusBadge } from '../ui/badges.tsx';
import { formatRelative } from '../ui/format.ts';

function ratingText(r: NonNullable<ConversationSummary['rating']>): string {
  return `${r.type.toUpperCase()} ${r.value}/${r.scaleMax}`;
}

export function ConversationRow({ c, siteName }: { c: ConversationSummary; siteName: string }) {
  const who = c.visitorName ?? c.visitorEmail ?? 'Anonymous visitor';
  return (
    <tr class={c.status === 'open' ? 'row-live' : ''}>
      <td>
        <a class="row-link" href={href({ name: 'conversation', id: c.id })}>
          <span class="row-title">{who}</span>
          <span class="row-preview">{c.preview ?? 'No messages yet'}</span>
        </a>
      </td>
      <td>
        <span class="cell-main">{c.flowId ?? '—'}</span>
        <span class="cell-sub">
          {siteName ? `${siteName} · ` : ''}{c.source}
        </span>
      </td>
      <td>
        <div class="badges">
          <StatusBadge status={c.status} mode={c.mode} />
          {c.needsHuman && c.status === 'open' && <span class="badge warn">Wants a person</span>}
        </div>
      </td>
      <td class="nowrap">{c.rating ? ratingText(c.rating) : <span class="muted">—</span>}</td>
      <td>
        <div class="badges">
          <NpsBadge category={c.npsCategory} />
          <SentimentBadge label={c.sentiment?.label ?? null} />
        </div>
      </td>
      <td>
        {c.topics.slice(0, 3).map((t) => (
          <span key={t} class="chip">
            {t}
          </span>
        ))}
      </td>
      <td>
        {c.followUpNeeded || c.followUpStatus !== 'none' ? (
          <span class={`badge follow-${c.followUpStatus === 'none' ? 'needed' : c.followUpStatus}`}>
            {c.followUpStatus === 'none' || c.followUpStatus === 'open' ? 'Needed' : c.followUpStatus === 'assigned' ? `Assigned${c.followUpAssignee ? ` · ${c.followUpAssignee.name}` : ''}` : 'Done'}
          </span>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td class="nowrap muted" title={new Date(c.lastActivityAt).toISOString()}>
        {formatRelative(c.lastActivityAt)}
      </td>
    </tr>
  );
}
