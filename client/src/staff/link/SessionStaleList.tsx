import { useState } from 'react';
import type { LinkStatus, StaleListExceptionView } from '../../../../server/src/protocol';
import { api } from '../../api';
import { useT } from '../../i18n';
import { formatDateTime } from '../../time-format';
import { useApi } from '../use-api';

/**
 * On a session's page: the stale-list exceptions recorded for it (officials see them, issue 14) and, while the
 * ban list is stale, the form the admin or the session's chief examiner records one with before opening.
 */
export function SessionStaleList({
  token,
  roles,
  sessionId,
  onExpired,
}: {
  token: string;
  roles: string[];
  sessionId: number;
  onExpired: () => void;
}) {
  const { t } = useT();
  const status = useApi<LinkStatus>('/link/status', token, onExpired);
  const list = useApi<StaleListExceptionView[]>(`/link/stale-exceptions?sessionId=${sessionId}`, token, onExpired);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const mayRecord = !roles.includes('official') && roles.some((r) => r === 'admin' || r === 'chief_examiner');
  const rows = list.data ?? [];
  if (rows.length === 0 && !(status.data?.banList.stale && mayRecord)) return null;
  return (
    <section data-testid="session-stale-list">
      <h3>{t('link.staleExceptions')}</h3>
      <ul>
        {rows.map((x) => (
          <li key={x.id}>
            {formatDateTime(x.recordedAt)} — {x.reason} ({x.recordedByName ?? t('link.none')})
          </li>
        ))}
      </ul>
      {status.data?.banList.stale && mayRecord && rows.length === 0 && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            api('/link/stale-exception', { token, body: { sessionId, reason } })
              .then(() => {
                setError(null);
                setReason('');
                list.reload();
              })
              .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
          }}
        >
          <label>
            {t('link.exceptionReason')}{' '}
            <input value={reason} onChange={(e) => setReason(e.target.value)} minLength={4} maxLength={500} required />
          </label>{' '}
          <button type="submit">{t('link.recordException')}</button>
          {error && <p className="error">{error}</p>}
        </form>
      )}
    </section>
  );
}
