import { useEffect, useMemo, useState } from 'preact/hooks';
import type { LiveEvent } from '../api/live.ts';
import type { AdminSite, CannedResponse, ConversationDetail, ConversationSummary, Message } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { href } from '../shell/route.ts';
import { StatusBadge } from '../ui/badges.tsx';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { formatDateTime } from '../ui/format.ts';
import { AnswersPanel } from './answers-panel.tsx';
import { ExtractionPanel } from './extraction-panel.tsx';
import { ForgetVisitor } from './forget-visitor.tsx';
import { LiveControls } from './live-controls.tsx';
import { MessageList } from './message-list.tsx';
import { ReviewPanel } from './review-panel.tsx';
import { ReplyPanel } from '../reach/reply-panel.tsx';
import { RulesSection } from '../respond/rules-section.tsx';
import { applyLiveEvent } from './use-conversation-list.ts';

/** how often and how long to look for an extraction that is still running */
const ANALYSIS_POLL_MS = 2500;
const ANALYSIS_POLLS = 40;

const TYPING_LABEL = { bot: 'The bot', agent: 'An agent', visitor: 'The visitor' } as const;

function mergeMessage(list: Message[], m: Message): Message[] {
  if (list.some((x) => x.id === m.id)) return list;
  return [...list, m].sort((a, b) => a.seq - b.seq);
}

export function TranscriptPage({ id }: { id: string }) {
  const { api, live, user } = useApp();
  const [detail, setDetail] = useState<ConversationDetail | null>(null);
  const [site, setSite] = useState<AdminSite | null>(null);
  const [canned, setCanned] = useState<CannedResponse[]>([]);
  const [typing, setTyping] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const siteId = detail?.conversation.siteId;
  useEffect(() => {
    let cancelled = false;
    setDetail(null);
    setError(null);
    api.getConversation(id).then(
      (d) => !cancelled && setDetail(d),
      (err: unknown) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
    };
  }, [api, id]);

  useEffect(() => {
    if (!siteId) return;
    api.listSites().then((r) => setSite(r.sites.find((s) => s.id === siteId) ?? null), () => undefined);
    api.listCanned(siteId).then((r) => setCanned(r.canned), () => setCanned([]));
  }, [api, siteId]);

  const open = detail?.conversation.status === 'open';
  useEffect(() => {
    if (!open) return;
    let refetch: ReturnType<typeof setTimeout> | null = null;
    const off = live.watch(id, (e: LiveEvent) => {
      if (e.type === 'typing') return setTyping(e.typing ? TYPING_LABEL[e.author] : null);
      if (e.type === 'message') setTyping(null);
      setDetail((d) => {
        if (!d) return d;
        const conversation = applyLiveEvent(d.conversation, e);
        const messages = e.type === 'message' ? mergeMessage(d.messages, e.message) : d.messages;
        return { ...d, conversation, messages };
      });
      // answers and the extraction are written as the conversation ends: fetch the finished record
      if (e.type === 'ended' && !refetch) refetch = setTimeout(() => api.getConversation(id).then(setDetail, () => undefined), 1500);
    });
    return () => {
      off();
      if (refetch) clearTimeout(refetch);
    };
  }, [live, api, id, open]);

  // extraction runs as a background job after the end: look again until it is there
  const waitingForAnalysis = !!detail && !open && !detail.extraction;
  useEffect(() => {
    if (!waitingForAnalysis) return;
    let tries = 0;
    const timer = setInterval(() => {
      if (++tries > ANALYSIS_POLLS) return clearInterval(timer);
      api.getConversation(id).then((d) => d.extraction && setDetail(d), () => undefined);
    }, ANALYSIS_POLL_MS);
    return () => clearInterval(timer);
  }, [api, id, waitingForAnalysis]);

  const sentiment = useMemo(
    () => new Map((detail?.extraction?.sentiment.messages ?? []).map((m) => [m.messageId, m.score])),
    [detail?.extraction],
  );

  if (error) {
    return (
      <div class="page">
        <a class="back" href={href({ name: 'conversations' })}>
          ← Conversations
        </a>
        <ErrorBanner error={error} />
      </div>
    );
  }
  if (!detail) {
    return (
      <div class="page">
        <p class="empty">Loading…</p>
      </div>
    );
  }

  const { conversation, visitor } = detail;
  const who = visitor?.name ?? visitor?.email ?? conversation.visitorName ?? 'Anonymous visitor';
  const setConversation = (c: ConversationSummary) => setDetail((d) => (d ? { ...d, conversation: c } : d));

  return (
    <div class="page">
      <a class="back" href={href({ name: 'conversations' })}>
        ← Conversations
      </a>
      <header class="page-header">
        <div>
          <h1>{who}</h1>
          <p class="muted">
            {site ? `${site.name} · ` : ''}
            {conversation.flowId ?? 'no flow'} · {conversation.source} · started {formatDateTime(conversation.startedAt)}
            {visitor?.email && visitor.name ? ` · ${visitor.email}` : ''}
            {visitor?.verified && <span class="badge ok">Verified</span>}
          </p>
          {conversation.pageUrl && <p class="muted small">on {conversation.pageUrl}</p>}
        </div>
        <div class="header-actions">
          <StatusBadge status={conversation.status} mode={conversation.mode} />
          {visitor && user?.role === 'owner' && <ForgetVisitor visitorId={visitor.id} />}
        </div>
      </header>
      <div class="transcript-layout">
        <div class="main-column">
        <div class="card transcript-card">
          <MessageList messages={detail.messages} sentiment={sentiment} typing={typing} follow={open} />
          <LiveControls
            conversation={conversation}
            canned={canned}
            cannedContext={{ visitorName: visitor?.name ?? null, agentName: user?.name ?? null, siteName: site?.name ?? null }}
            onConversation={(v) => setConversation({ ...conversation, status: v.status, mode: v.mode, agentName: v.agentName })}
          />
        </div>
        {!open && <ReplyPanel conversationId={conversation.id} onSent={() => api.getConversation(id).then(setDetail, () => undefined)} />}
        </div>
        <aside class="side">
          <ExtractionPanel extraction={detail.extraction} ended={!open} />
          <AnswersPanel answers={detail.answers} />
          <RulesSection conversationId={conversation.id} />
          <ReviewPanel key={conversation.id} conversation={conversation} notes={detail.notes} onConversation={setConversation} />
        </aside>
      </div>
    </div>
  );
}
