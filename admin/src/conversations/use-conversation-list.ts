/**
 * Loads the conversation list page by page (keyset cursor from the server) and keeps the rows
 * of ongoing conversations current from the sites' live feeds.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AdminApi } from '../api/admin-api.ts';
import type { LiveClient, LiveEvent } from '../api/live.ts';
import type { ConversationFilters, ConversationSummary } from '../api/types.ts';

export interface ConversationListState {
  items: ConversationSummary[];
  nextCursor: string | null;
  loading: boolean;
  error: unknown;
  loadMore: () => void;
}

/** the row after a live event */
export function applyLiveEvent(c: ConversationSummary, e: LiveEvent): ConversationSummary {
  switch (e.type) {
    case 'message':
      return {
        ...c,
        lastActivityAt: e.message.createdAt,
        messageCount: Math.max(c.messageCount, e.message.seq),
        preview: c.preview ?? (e.message.author === 'visitor' ? e.message.text : c.preview),
      };
    case 'updated':
    case 'started':
      return { ...c, status: e.conversation.status, mode: e.conversation.mode, agentName: e.conversation.agentName, endedAt: e.conversation.endedAt };
    case 'ended':
      return { ...c, status: 'ended', endReason: e.reason };
    case 'handoff':
      return { ...c, needsHuman: true };
    case 'typing':
    case 'follow-ups':
      return c;
  }
}

export function useConversationList(
  api: AdminApi,
  live: LiveClient,
  filters: ConversationFilters,
  siteIds: string[],
): ConversationListState {
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  // answers to an older filter set must not overwrite the current one
  const generation = useRef(0);
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const load = useCallback(
    async (cursor: string | null) => {
      const gen = ++generation.current;
      setLoading(true);
      setError(null);
      try {
        const page = await api.listConversations(filters, cursor);
        if (gen !== generation.current) return;
        setItems((prev) => (cursor ? [...prev, ...page.items.filter((c) => !prev.some((p) => p.id === c.id))] : page.items));
        setNextCursor(page.nextCursor);
      } catch (err) {
        if (gen === generation.current) setError(err);
      } finally {
        if (gen === generation.current) setLoading(false);
      }
    },
    [api, filters],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  // a conversation not listed yet (or an end, which brings its extraction): merge the fresh
  // first page in, at most once a second, so someone paging through older results keeps their place
  const siteKey = siteIds.join(',');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let disposed = false;
    const mergeFirstPage = async () => {
      timer = null;
      const page = await api.listConversations(filters, null).catch(() => null);
      if (!page || disposed) return;
      setItems((prev) => {
        const fresh = page.items.filter((c) => !prev.some((p) => p.id === c.id));
        return [...fresh, ...prev.map((p) => page.items.find((c) => c.id === p.id) ?? p)];
      });
    };
    const schedule = (delay: number) => {
      if (!timer) timer = setTimeout(() => void mergeFirstPage(), delay);
    };
    const onEvent = (e: LiveEvent) => {
      if (e.type === 'typing') return;
      const known = itemsRef.current.some((c) => c.id === e.conversationId);
      if (known) setItems((prev) => prev.map((c) => (c.id === e.conversationId ? applyLiveEvent(c, e) : c)));
      if (!known || e.type === 'ended') schedule(e.type === 'ended' ? 2000 : 1000);
    };
    const offs = siteKey ? siteKey.split(',').map((id) => live.subscribeSite(id, onEvent)) : [];
    return () => {
      disposed = true;
      for (const off of offs) off();
      if (timer) clearTimeout(timer);
    };
  }, [live, api, filters, siteKey]);

  return {
    items,
    nextCursor,
    loading,
    error,
    loadMore: () => void (nextCursor && load(nextCursor)),
  };
}
