/**
 * The open follow-ups the signed-in person can see (and how many are theirs or overdue), kept
 * live: the server announces `follow-ups:changed` to the site rooms, and the count is read again.
 */
import { useEffect, useState } from 'preact/hooks';
import type { FollowUpCount } from '../../../shared/respond.ts';
import type { LiveEvent } from '../api/live.ts';
import { useApp } from '../app-context.ts';

export function useFollowUpCount(): FollowUpCount | null {
  const { api, live } = useApp();
  const [count, setCount] = useState<FollowUpCount | null>(null);

  useEffect(() => {
    let offs: Array<() => void> = [];
    let disposed = false;
    let inFlight = false;
    let again = false;
    const refresh = () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      api.followUpCount().then(
        (c) => {
          if (!disposed) setCount(c);
        },
        () => undefined,
      ).finally(() => {
        inFlight = false;
        if (again && !disposed) {
          again = false;
          refresh();
        }
      });
    };
    const onEvent = (e: LiveEvent) => {
      if (e.type === 'follow-ups') refresh();
    };
    refresh();
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

  return count;
}
