import type { LinkLogPage as LinkLog } from '../../../server/src/protocol/regulator-admin';
import { oneLanguage, useT } from '../i18n';
import { useApi } from '../staff/use-api';
import { formatDateTime } from '../time-format';
import type { RegCtx } from './reg-auth';
import { codeLabel, orDash } from './reg-text';

/** Every refused and every duplicate message, from the append-only, hash-chained link log. */
export function LinkLogPage({ ctx }: { ctx: RegCtx }) {
  const { t, lang } = useT();
  const res = useApi<LinkLog>('/link/log', ctx.token, ctx.onExpired);
  const log = res.data;
  return (
    <section className="panel" data-testid="link-log">
      <h1>{t('regulator.linkLog.title')}</h1>
      <p className="meta">{t('regulator.linkLog.hint')}</p>
      {res.error && <p className="error">{res.error}</p>}
      {log && (
        <p className={log.chainValid ? 'verdict-ok' : 'verdict-bad'} data-testid="chain-status">
          {log.chainValid ? t('regulator.linkLog.chainOk') : t('regulator.linkLog.chainBroken')}
        </p>
      )}
      {log?.rows.length === 0 && <p className="meta">{t('regulator.linkLog.none')}</p>}
      {log && log.rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t('regulator.col.time')}</th>
              <th>{t('regulator.col.centre')}</th>
              <th>{t('regulator.linkLog.via')}</th>
              <th>{t('regulator.linkLog.seq')}</th>
              <th>{t('regulator.linkLog.type')}</th>
              <th>{t('regulator.linkLog.outcome')}</th>
              <th>{t('regulator.linkLog.why')}</th>
            </tr>
          </thead>
          <tbody>
            {log.rows.map((r) => (
              <tr key={r.id}>
                <td className="nowrap">{formatDateTime(r.at, { seconds: true })}</td>
                <td>{orDash(r.centreCode)}</td>
                <td>{codeLabel('via', r.via)}</td>
                <td>{r.seq}</td>
                <td>{r.type ? codeLabel('messageType', r.type) : '—'}</td>
                <td className={r.outcome === 'refused' ? 'verdict-bad' : undefined}>
                  {codeLabel('outcome', r.outcome)}
                </td>
                <td title={r.reason}>
                  {r.code ? codeLabel('refusal', r.code) : ''}
                  {/* The receiver's own words are technical English: shown on the English screen, a tooltip here. */}
                  {lang === 'en' && <div className="meta">{oneLanguage(r.reason)}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
