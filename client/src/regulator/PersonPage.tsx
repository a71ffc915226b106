import type { RegulatorPersonDetail } from '../../../server/src/protocol/regulator-view';
import { useT } from '../i18n';
import { useApi } from '../staff/use-api';
import type { RegCtx } from './reg-auth';
import { codeLabel } from './reg-text';
import { Go } from './reg-route';
import { FindingList } from './FindingList';
import { sessionPath, SittingsTable } from './SittingsTable';

/** One person across every centre: each sitting, each duty as staff, bans in force and findings about them. */
export function PersonPage({ ctx, idNumber }: { ctx: RegCtx; idNumber: string }) {
  const { t } = useT();
  const res = useApi<RegulatorPersonDetail>(`/people/${encodeURIComponent(idNumber)}`, ctx.token, ctx.onExpired);
  if (res.error) return <p className="error">{res.error}</p>;
  const p = res.data;
  if (!p) return <p className="meta">{t('common.loading')}</p>;
  const centres = new Set([...p.sittings.map((s) => s.centre.code), ...p.duties.map((d) => d.centre.code)]).size;
  return (
    <div className="stack" data-testid="person">
      <section className="panel">
        <h1>
          {p.names.join(' / ') || t('regulator.person.unknownName')} <small>{p.idNumber}</small>
        </h1>
        <p className="meta">
          {t('regulator.person.summary', { sittings: p.sittings.length, duties: p.duties.length, centres })}
        </p>
        {p.bans.length > 0 && (
          <div className="banner-bad" data-testid="person-bans">
            <strong>{t('regulator.person.banned')}</strong>
            <ul>
              {p.bans.map((b, i) => (
                <li key={i}>
                  {codeLabel('banReason', b.reason)} · {b.decisionDate} · {b.authority} {b.documentNo}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
      <section className="panel">
        <h2>{t('regulator.person.sittings')}</h2>
        {p.sittings.length === 0 ? (
          <p className="meta">{t('regulator.person.noSittings')}</p>
        ) : (
          <SittingsTable rows={p.sittings} hide={['person']} />
        )}
      </section>
      {p.duties.length > 0 && (
        <section className="panel">
          <h2>{t('regulator.person.duties')}</h2>
          <table>
            <thead>
              <tr>
                <th>{t('regulator.col.centre')}</th>
                <th>{t('regulator.col.session')}</th>
                <th>{t('regulator.col.date')}</th>
                <th>{t('regulator.col.duty')}</th>
              </tr>
            </thead>
            <tbody>
              {p.duties.map((d, i) => (
                <tr key={i}>
                  <td>
                    {d.centre.name} <span className="meta">{d.centre.code}</span>
                  </td>
                  <td>
                    <Go to={sessionPath(d.centre.code, d.sessionCode)}>{d.sessionCode}</Go>
                  </td>
                  <td>{d.date}</td>
                  <td>{codeLabel('duty', d.duty)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section className="panel">
        <h2>{t('regulator.person.findings')}</h2>
        <FindingList ctx={ctx} findings={p.findings} onChanged={res.reload} />
      </section>
    </div>
  );
}
