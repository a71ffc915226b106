import type { LinkStatus } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { useApi } from '../use-api';

/**
 * The stale ban-list warning on every staff and official screen (issue 14): a centre whose province ban list
 * is older than its setting, or that never received one, must know before it opens a session.
 */
export function LinkBanner({ token, onExpired }: { token: string; onExpired: () => void }) {
  const { t } = useT();
  const { data } = useApi<LinkStatus>('/link/status', token, onExpired);
  if (!data || !data.banList.stale) return null;
  const b = data.banList;
  return (
    <p className="error no-print" role="alert" data-testid="ban-list-stale">
      {b.ageDays === null || !data.linked
        ? t('link.never')
        : t('link.stale', { days: Math.floor(b.ageDays), max: b.maxAgeDays })}
    </p>
  );
}
