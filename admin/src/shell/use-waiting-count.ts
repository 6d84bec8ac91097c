/**
 * How many live chats are waiting for a person right now (asked since this page opened and not
 * yet taken over or ended), so the navigation can say so from any screen.
 */
import { useEffect, useState } from 'preact/hooks';
import type { LiveEvent } from '../api/live.ts';
import { useApp } from '../app-context.ts';

export function useWaitingCount(): number {
  const { api, live } = useApp();
  const [waiting, setWaiting] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    let offs: Array<() => void> = [];
    let disposed = false;
    const onEvent = (e: LiveEvent) => {
      const answered = (e.type === 'updated' && e.conversation.mode === 'human') || e.type === 'ended';
      if (e.type !== 'handoff' && !answered) return;
      setWaiting((prev) => {
        const next = new Set(prev);
        if (e.type === 'handoff') next.add(e.conversationId);
        else next.delete(e.conversationId);
        return next;
      });
    };
    api.listSites().then(
      (r) => {
        if (!disposed) offs = r.sites.map((s) => live.subscribeSite(s.id, onEvent));
      },
      () => undefined,
    );
    return () => {
      disposed = true;
      for (const off of offs) off();
    };
  }, [api, live]);

  return waiting.size;
}
