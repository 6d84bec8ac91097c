import { useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { href } from '../shell/route.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';

/** Right to be forgotten: every conversation, message and answer of this visitor goes. */
export function ForgetVisitor({ visitorId }: { visitorId: string }) {
  const { api } = useApp();
  const [error, setError] = useState<unknown>(null);
  const forget = async () => {
    if (!confirm('Delete everything about this visitor: all their conversations, messages and answers? This cannot be undone.')) return;
    try {
      await api.forgetVisitor(visitorId);
      location.hash = href({ name: 'conversations' });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <button type="button" class="button danger subtle" onClick={forget}>
        Delete visitor data
      </button>
      <ErrorBanner error={error} />
    </>
  );
}
