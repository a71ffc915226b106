import { useState } from 'react';
import type {
  LinkBundleImportResult,
  LinkLogEntry,
  LinkStatus,
  StaleListExceptionView,
} from '../../../../server/src/protocol';
import { api } from '../../api';
import { useT } from '../../i18n';
import { formatDateTime } from '../../time-format';
import { useApi } from '../use-api';

/** 监管链接 / Regulator link (issue 14): status, sync now, bundles by USB stick, the refused-messages log. */
export function LinkPage({ token, onExpired }: { token: string; onExpired: () => void }) {
  const { t } = useT();
  const status = useApi<LinkStatus>('/link/status', token, onExpired);
  const log = useApi<LinkLogEntry[]>('/link/log', token, onExpired);
  const exceptions = useApi<StaleListExceptionView[]>('/link/stale-exceptions', token, onExpired);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () => {
    status.reload();
    log.reload();
    exceptions.reload();
  };
  const run = (p: Promise<unknown>, done?: (v: unknown) => string | null) =>
    p
      .then((v) => {
        setError(null);
        setMessage(done ? done(v) : null);
        reload();
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));

  const download = () =>
    run(
      api<unknown>('/link/bundle', { token }).then((bundle) => {
        const blob = new Blob([JSON.stringify(bundle, null, 1)], { type: 'application/json' });
        const a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = `${status.data?.centreCode ?? 'centre'}-to-regulator.bundle.json`;
        a.click();
        URL.revokeObjectURL(a.href);
      }),
    );
  const upload = (file: File) =>
    run(
      file.text().then((text) => api<LinkBundleImportResult>('/link/bundle', { token, body: JSON.parse(text) })),
      (v) => {
        const r = v as LinkBundleImportResult;
        const n = (s: string) => r.outcomes.filter((o) => o.status === s).length;
        return t('link.imported', { applied: n('applied'), duplicate: n('duplicate'), refused: n('refused') });
      },
    );

  const s = status.data;
  const when = (ms: number | null) => (ms === null ? t('link.none') : formatDateTime(ms));
  return (
    <section data-testid="link-page">
      <h2>{t('link.page')}</h2>
      {error && <p className="error">{error}</p>}
      {message && <p>{message}</p>}
      {s && (
        <dl className="facts">
          <dt>{t('link.status')}</dt>
          <dd>{s.linked ? t('link.linked') : t('link.notLinked')}</dd>
          <dt>{t('link.centreCode')}</dt>
          <dd>{s.centreCode ?? t('link.none')}</dd>
          <dt>{t('link.regulatorUrl')}</dt>
          <dd>{s.regulatorUrl ?? t('link.none')}</dd>
          <dt>{t('link.lastExchange')}</dt>
          <dd>{when(s.lastExchangeAt)}</dd>
          <dt>{t('link.lastError')}</dt>
          <dd>{s.lastError ?? t('link.none')}</dd>
          <dt>{t('link.pendingOut')}</dt>
          <dd>{s.pendingOut}</dd>
          <dt>{t('link.banList')}</dt>
          <dd>
            {s.banList.asOf === null
              ? t('link.none')
              : t('link.banListLine', {
                  version: s.banList.version,
                  asOf: when(s.banList.asOf),
                  days: Math.floor(s.banList.ageDays ?? 0),
                })}
          </dd>
        </dl>
      )}
      <p>
        <button onClick={() => run(api('/link/sync', { token, body: {} }))} disabled={!s?.regulatorUrl}>
          {t('link.syncNow')}
        </button>{' '}
        <button onClick={download} disabled={!s?.centreCode}>
          {t('link.download')}
        </button>{' '}
        <label>
          {t('link.upload')}{' '}
          <input
            type="file"
            accept=".json,application/json"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void upload(f);
              e.target.value = '';
            }}
          />
        </label>
      </p>
      <h3>{t('link.staleExceptions')}</h3>
      <ul>
        {(exceptions.data ?? []).map((x) => (
          <li key={x.id}>
            {formatDateTime(x.recordedAt)} {x.sessionCode} — {x.reason} ({x.recordedByName ?? t('link.none')})
          </li>
        ))}
      </ul>
      <h3>{t('link.log')}</h3>
      {log.data && log.data.length === 0 && <p>{t('link.logEmpty')}</p>}
      {log.data && log.data.length > 0 && (
        <table className="data">
          <tbody>
            {log.data.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(e.at)}</td>
                <td>{e.via}</td>
                <td>#{e.seq}</td>
                <td>{e.type ?? ''}</td>
                <td>
                  {t(
                    e.status === 'refused'
                      ? 'link.logRefused'
                      : e.status === 'duplicate'
                        ? 'link.logDuplicate'
                        : 'link.logProblem',
                  )}
                </td>
                <td>{e.code}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
