import type { RegulatorCase, RegulatorFinding } from '../../../server/src/protocol/regulator-view';
import { oneLanguage, useT } from '../i18n';
import { useApi } from '../staff/use-api';
import { formatDateTime } from '../time-format';
import type { RegCtx } from './reg-auth';
import { codeLabel } from './reg-text';
import { FindingList } from './FindingList';

/** Checks no single centre can make (issue 14 §6), and the cases officials opened from them. */
export function FindingsPage({ ctx }: { ctx: RegCtx }) {
  const { t } = useT();
  const findings = useApi<RegulatorFinding[]>('/findings', ctx.token, ctx.onExpired);
  const cases = useApi<RegulatorCase[]>('/cases', ctx.token, ctx.onExpired);
  const reload = () => {
    findings.reload();
    cases.reload();
  };
  return (
    <div className="stack">
      <section className="panel">
        <h1>{t('regulator.findings.title')}</h1>
        <p className="meta">{t('regulator.findings.hint')}</p>
        {findings.error && <p className="error">{findings.error}</p>}
        {findings.data && <FindingList ctx={ctx} findings={findings.data} onChanged={reload} />}
      </section>
      <section className="panel" data-testid="cases">
        <h2>{t('regulator.cases.title')}</h2>
        {cases.error && <p className="error">{cases.error}</p>}
        {cases.data?.length === 0 && <p className="meta">{t('regulator.cases.none')}</p>}
        {cases.data && cases.data.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>{t('regulator.cases.no')}</th>
                <th>{t('regulator.col.kind')}</th>
                <th>{t('regulator.col.detail')}</th>
                <th>{t('regulator.findings.measure')}</th>
                <th>{t('regulator.findings.responsible')}</th>
                <th>{t('regulator.findings.deadline')}</th>
                <th>{t('regulator.cases.opened')}</th>
                <th>{t('regulator.bans.status')}</th>
              </tr>
            </thead>
            <tbody>
              {cases.data.map((c) => (
                <tr key={c.id}>
                  <td>{c.id}</td>
                  <td>{codeLabel('finding', c.kind)}</td>
                  <td>
                    {oneLanguage(c.problem)}
                    {c.note && <div className="meta">{c.note}</div>}
                  </td>
                  <td>{c.measure}</td>
                  <td>{c.responsible}</td>
                  <td className="nowrap">{c.deadline}</td>
                  <td>
                    {c.openedBy}
                    <div className="meta nowrap">{formatDateTime(c.openedAt)}</div>
                  </td>
                  <td className="nowrap">{codeLabel('caseStatus', c.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
