import type { Translate } from '../../i18n/translator.ts';
import type { Banner, ConnectionStatus } from '../state/types.ts';

/** Connection trouble and refused messages, said in words (role=alert so a screen reader hears it). */
export function StatusBanner({ status, banner, t }: { status: ConnectionStatus; banner: Banner | null; t: Translate }) {
  const text =
    status === 'unavailable' ? t('unavailable') : banner ? t(banner.kind) : status === 'offline' ? t('offline') : null;
  if (!text) return null;
  return (
    <p class="pl-banner" role="alert">
      {text}
    </p>
  );
}
