import type { RegulatorSearchRow } from '../../../server/src/protocol/regulator-view';
import { useT } from '../i18n';
import { Go } from './reg-route';
import { codeLabel, orDash } from './reg-text';

const sessionPath = (centre: string, code: string) =>
  `/sessions/${encodeURIComponent(centre)}/${encodeURIComponent(code)}`;
export const personPath = (idNumber: string) => `/people/${encodeURIComponent(idNumber)}`;
export { sessionPath };

/** Sittings (a person in a session at a centre), the same columns on the search, person and session pages. */
export function SittingsTable({ rows, hide = [] }: { rows: RegulatorSearchRow[]; hide?: ('person' | 'session')[] }) {
  const { t } = useT();
  const showPerson = !hide.includes('person');
  const showSession = !hide.includes('session');
  return (
    <table data-testid="sittings">
      <thead>
        <tr>
          {showSession && <th>{t('regulator.col.centre')}</th>}
          {showSession && <th>{t('regulator.col.session')}</th>}
          <th>{t('regulator.col.category')}</th>
          <th>{t('regulator.col.date')}</th>
          {showPerson && <th>{t('regulator.col.idNumber')}</th>}
          {showPerson && <th>{t('regulator.col.name')}</th>}
          <th>{t('regulator.col.trainingOrg')}</th>
          <th>{t('regulator.col.score')}</th>
          <th>{t('regulator.col.result')}</th>
          <th>{t('regulator.col.archive')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={`${r.centre.code}/${r.sessionCode}/${r.idNumber}/${i}`} data-centre={r.centre.code}>
            {showSession && (
              <td>
                {r.centre.name} <span className="meta">{r.centre.code}</span>
              </td>
            )}
            {showSession && (
              <td>
                <Go to={sessionPath(r.centre.code, r.sessionCode)}>{r.sessionCode}</Go>
              </td>
            )}
            <td>{r.category}</td>
            <td className="nowrap">{r.date}</td>
            {showPerson && (
              <td>
                <Go to={personPath(r.idNumber)}>{r.idNumber}</Go>
              </td>
            )}
            {showPerson && <td>{r.name}</td>}
            <td>{orDash(r.trainingOrg?.name)}</td>
            <td>{r.score === null ? '—' : `${r.score}${r.maxScore === null ? '' : ` / ${r.maxScore}`}`}</td>
            <td className={r.passed === false ? 'verdict-bad' : undefined}>
              {r.passed === null
                ? t('regulator.result.pending')
                : r.passed
                  ? t('regulator.result.pass')
                  : t('regulator.result.fail')}
            </td>
            <td>
              {r.archiveId === null ? (
                codeLabel('archiveStatus', r.archiveStatus)
              ) : (
                <Go to={`/archives/${r.archiveId}`}>
                  <span className={`archive-status archive-${r.archiveStatus}`}>
                    {codeLabel('archiveStatus', r.archiveStatus)}
                  </span>
                </Go>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
