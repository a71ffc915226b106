import { useState } from 'react';
import type { RegulatorPassRates } from '../../../server/src/protocol/regulator-view';
import { useT } from '../i18n';
import { useApi } from '../staff/use-api';
import type { RegCtx } from './reg-auth';
import { percent } from './reg-text';

/**
 * Pass rates per quarter by centre or by training organisation; a period that departs from the group's own
 * history by the item analysis's two-proportion test is flagged for a closer look.
 */
export function PassRatesPage({ ctx }: { ctx: RegCtx }) {
  const { t } = useT();
  const [by, setBy] = useState<'centre' | 'training-org'>('centre');
  const res = useApi<RegulatorPassRates>(`/pass-rates?by=${by}`, ctx.token, ctx.onExpired);
  const rows = res.data?.rows ?? [];
  const flagged = rows.filter((r) => r.flagged).length;
  return (
    <section className="panel" data-testid="pass-rates">
      <h1>{t('regulator.passRates.title')}</h1>
      <div className="action-bar" role="group">
        <button
          type="button"
          aria-pressed={by === 'centre'}
          className={by === 'centre' ? 'selected' : undefined}
          onClick={() => setBy('centre')}
        >
          {t('regulator.passRates.byCentre')}
        </button>
        <button
          type="button"
          aria-pressed={by === 'training-org'}
          className={by === 'training-org' ? 'selected' : undefined}
          onClick={() => setBy('training-org')}
        >
          {t('regulator.passRates.byTrainingOrg')}
        </button>
        <span className="meta">{t('regulator.passRates.hint')}</span>
      </div>
      {res.error && <p className="error">{res.error}</p>}
      {res.data && rows.length === 0 && <p className="meta">{t('regulator.passRates.none')}</p>}
      {rows.length > 0 && (
        <>
          <p className={flagged ? 'verdict-bad' : 'meta'}>
            {flagged ? t('regulator.passRates.flaggedCount', { n: flagged }) : t('regulator.passRates.noneFlagged')}
          </p>
          <table>
            <thead>
              <tr>
                <th>{by === 'centre' ? t('regulator.col.centre') : t('regulator.col.trainingOrg')}</th>
                <th>{t('regulator.passRates.period')}</th>
                <th>{t('regulator.passRates.sat')}</th>
                <th>{t('regulator.passRates.passed')}</th>
                <th>{t('regulator.passRates.rate')}</th>
                <th>{t('regulator.passRates.baseline')}</th>
                <th>{t('regulator.passRates.z')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.group.key}/${r.period}`} className={r.flagged ? 'flagged' : undefined}>
                  <td>
                    {r.group.name} <span className="meta">{r.group.key}</span>
                  </td>
                  <td>{r.period}</td>
                  <td>{r.sat}</td>
                  <td>{r.passed}</td>
                  <td>{percent(r.rate)}</td>
                  <td>
                    {r.baseline
                      ? t('regulator.passRates.baselineOf', {
                          rate: percent(r.baseline.rate),
                          n: r.baseline.candidates,
                        })
                      : '—'}
                  </td>
                  <td>{r.z === null ? '—' : r.z.toFixed(2)}</td>
                  <td>{r.flagged && <span className="tag tag-bad">{t('regulator.passRates.outlier')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
