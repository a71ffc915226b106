import type { RegulatorSessionDetail } from '../../../server/src/protocol/regulator-view';
import { oneLanguage, useT } from '../i18n';
import { label, STATE_NAMES } from '../staff/catalogue';
import { useApi } from '../staff/use-api';
import { formatDateTime } from '../time-format';
import type { RegCtx } from './reg-auth';
import { Go } from './reg-route';
import { anomalyLabel, centreRef, codeLabel, orDash } from './reg-text';
import { personPath, SittingsTable } from './SittingsTable';

/** One session at one centre as the regulator knows it: from the centre's notices, then from its archive. */
export function SessionPage({ ctx, centre, sessionCode }: { ctx: RegCtx; centre: string; sessionCode: string }) {
  const { t, lang } = useT();
  const en = lang === 'en';
  const res = useApi<RegulatorSessionDetail>(
    `/sessions/${encodeURIComponent(centre)}/${encodeURIComponent(sessionCode)}`,
    ctx.token,
    ctx.onExpired,
  );
  if (res.error) return <p className="error">{res.error}</p>;
  const s = res.data;
  if (!s) return <p className="meta">{t('common.loading')}</p>;
  return (
    <div className="stack" data-testid="session">
      <section className="panel">
        <h1>
          {s.name ?? s.sessionCode} <small>{centreRef(s.centre)}</small>
        </h1>
        <dl className="facts">
          <dt>{t('regulator.col.session')}</dt>
          <dd>{s.sessionCode}</dd>
          <dt>{t('regulator.col.category')}</dt>
          <dd>{s.category}</dd>
          <dt>{t('regulator.session.state')}</dt>
          <dd>
            <span className={`state state-${s.state}`}>{label(STATE_NAMES, s.state, en)}</span>
          </dd>
          <dt>{t('regulator.session.time')}</dt>
          <dd>
            {formatDateTime(s.scheduledStart)} – {formatDateTime(s.scheduledEnd)}
          </dd>
          <dt>{t('regulator.session.lastNotice')}</dt>
          <dd>{s.lastNoticeAt === null ? '—' : formatDateTime(s.lastNoticeAt)}</dd>
        </dl>
      </section>
      <section className="panel">
        <h2>{t('regulator.session.archives')}</h2>
        {s.archives.length === 0 ? (
          <p className="meta">{t('regulator.session.noArchive')}</p>
        ) : (
          <ul>
            {s.archives.map((a) => (
              <li key={a.id}>
                <Go to={`/archives/${a.id}`}>
                  <span className={`archive-status archive-${a.status}`}>{codeLabel('archiveStatus', a.status)}</span>
                </Go>{' '}
                ·{' '}
                {t('regulator.archive.receivedVia', { at: formatDateTime(a.receivedAt), via: codeLabel('via', a.via) })}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel">
        <h2>{t('regulator.session.sittings', { n: s.sittings.length })}</h2>
        <SittingsTable rows={s.sittings} hide={['session']} />
      </section>
      {s.staff.length > 0 && (
        <section className="panel">
          <h2>{t('regulator.session.staff')}</h2>
          <table>
            <thead>
              <tr>
                <th>{t('regulator.col.name')}</th>
                <th>{t('regulator.col.idNumber')}</th>
                <th>{t('regulator.col.duty')}</th>
              </tr>
            </thead>
            <tbody>
              {s.staff.map((p, i) => (
                <tr key={i}>
                  <td>{p.name}</td>
                  <td>
                    <Go to={personPath(p.idNumber)}>{p.idNumber}</Go>
                  </td>
                  <td>{codeLabel('duty', p.duty)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section className="panel">
        <h2>{t('regulator.session.anomalies')}</h2>
        {s.anomalies.length === 0 ? (
          <p className="meta">{t('regulator.session.noAnomalies')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('regulator.col.time')}</th>
                <th>{t('regulator.col.kind')}</th>
                <th>{t('regulator.col.name')}</th>
                <th>{t('regulator.col.detail')}</th>
                <th>{t('regulator.col.source')}</th>
              </tr>
            </thead>
            <tbody>
              {s.anomalies.map((a, i) => (
                <tr key={i}>
                  <td>{a.at === null ? '—' : formatDateTime(a.at)}</td>
                  <td>{anomalyLabel(a.kind)}</td>
                  <td>{a.idNumber ? <Go to={personPath(a.idNumber)}>{orDash(a.name)}</Go> : orDash(a.name)}</td>
                  <td>{oneLanguage(a.detail)}</td>
                  <td>{codeLabel('source', a.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {s.staleListExceptions.length > 0 && (
        <section className="panel">
          <h2>{t('regulator.session.staleExceptions')}</h2>
          <ul>
            {s.staleListExceptions.map((x, i) => (
              <li key={i}>
                {t('regulator.session.staleException', {
                  by: x.recordedBy,
                  version: x.listVersion,
                  asOf: formatDateTime(x.listAsOf),
                  at: formatDateTime(x.receivedAt),
                  reason: x.reason,
                })}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
