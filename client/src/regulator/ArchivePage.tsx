import { useState } from 'react';
import type { RegulatorArchiveReport } from '../../../server/src/protocol/regulator-view';
import { useT } from '../i18n';
import { checkLabel, gapLabel } from '../staff/catalogue';
import { useApi } from '../staff/use-api';
import { formatDateTime } from '../time-format';
import type { RegCtx } from './reg-auth';
import { Go } from './reg-route';
import { centreRef, codeLabel, download } from './reg-text';
import { sessionPath } from './SittingsTable';

/**
 * What the regulator could and could not check in one archive, and against which key: always the key pinned
 * for the centre at registration, never the key the archive carries (issue 14).
 */
export function ArchivePage({ ctx, id }: { ctx: RegCtx; id: number }) {
  const { t, lang } = useT();
  const en = lang === 'en';
  const [error, setError] = useState<string | null>(null);
  const res = useApi<RegulatorArchiveReport>(`/archives/${id}`, ctx.token, ctx.onExpired);
  if (res.error) return <p className="error">{res.error}</p>;
  const a = res.data;
  if (!a) return <p className="meta">{t('common.loading')}</p>;
  const ok = a.status === 'VALID';
  const pinChanged = a.verifiedWithFingerprint !== a.pinnedFingerprint;
  return (
    <div className="stack" data-testid="archive">
      <section className="panel">
        <h1>
          {t('regulator.archive.title')} <small>{a.fileName}</small>
        </h1>
        <p>
          {centreRef(a.centre)} ·{' '}
          <Go to={sessionPath(a.centre.code, a.sessionCode)}>
            {t('regulator.col.session')} {a.sessionCode}
          </Go>{' '}
          · {t('regulator.archive.receivedVia', { at: formatDateTime(a.receivedAt), via: codeLabel('via', a.via) })}
        </p>
        <p
          className={`verdict-line ${ok ? 'verdict-ok' : 'verdict-bad'}`}
          data-testid="archive-status"
          data-status={a.status}
        >
          {codeLabel('verdict', a.status)}
        </p>
        <p className="key-line" data-testid="pinned-key">
          {t('regulator.archive.verifiedWith', {
            centre: centreRef(a.centre),
            fingerprint: a.verifiedWithFingerprint,
          })}
        </p>
        {pinChanged && (
          <p className="meta" data-testid="pin-changed">
            {t('regulator.archive.pinChangedSince', { fingerprint: a.pinnedFingerprint })}
          </p>
        )}
        <ul className="checks" data-testid="archive-facts">
          <li className={a.embeddedKeyMatchesPin ? 'ok' : 'bad'} data-testid="embedded-key">
            {a.embeddedKeyMatchesPin ? '✓ ' : '✗ '}
            {a.embeddedKeyFingerprint === null
              ? t('regulator.archive.noEmbeddedKey')
              : a.embeddedKeyMatchesPin
                ? t('regulator.archive.embeddedMatches')
                : t('regulator.archive.embeddedDiffers', { fingerprint: a.embeddedKeyFingerprint })}
          </li>
          <li className={a.sha256MatchesMessage ? 'ok' : 'bad'}>
            {a.sha256MatchesMessage ? '✓ ' : '✗ '}
            {a.sha256MatchesMessage ? t('regulator.archive.shaMatches') : t('regulator.archive.shaDiffers')}
          </li>
        </ul>
        <div className="action-bar">
          <button
            type="button"
            data-testid="archive-download"
            onClick={() =>
              download(`/archives/${a.id}/download`, ctx.token, a.fileName).catch((e: unknown) =>
                setError(e instanceof Error ? e.message : String(e)),
              )
            }
          >
            {t('regulator.archive.download', { size: (a.size / 1024 / 1024).toFixed(2) })}
          </button>
          <span className="meta mono">SHA-256 {a.sha256}</span>
          {error && <span className="error">{error}</span>}
        </div>
      </section>
      <section className="panel">
        <h2>{t('regulator.archive.checks')}</h2>
        <ul className="checks" data-testid="archive-checks">
          {a.checks.map((c, i) => (
            <li key={i} className={c.ok ? 'ok' : 'bad'}>
              {c.ok ? '✓' : '✗'} {checkLabel(c.name, en)}
              {c.ok ? '' : ` — ${t('regulator.archive.failed')}`}
            </li>
          ))}
        </ul>
        {a.gaps.length > 0 && (
          <>
            <h3>{t('regulator.archive.gaps')}</h3>
            <ul className="checks" data-testid="archive-gaps">
              {a.gaps.map((g, i) => (
                <li key={i} className="gap">
                  ! {gapLabel(g.code, en)}
                </li>
              ))}
            </ul>
          </>
        )}
        <details className="event-raw">
          <summary>{t('regulator.archive.technical')}</summary>
          <pre>
            {[
              ...a.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}${c.detail ? `: ${c.detail}` : ''}`),
              ...a.gaps.map((g) => `! ${g.text}`),
            ].join('\n')}
          </pre>
        </details>
      </section>
    </div>
  );
}
