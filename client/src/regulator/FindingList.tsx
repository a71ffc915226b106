import { useState, type FormEvent } from 'react';
import type { FindingEnd, RegulatorCase, RegulatorFinding } from '../../../server/src/protocol/regulator-view';
import { oneLanguage, useT } from '../i18n';
import { formatDateTime, todayInCentre } from '../time-format';
import type { RegCtx } from './reg-auth';
import { Go } from './reg-route';
import { centreRef, codeLabel, post } from './reg-text';
import { personPath, sessionPath } from './SittingsTable';

/** One end of a finding: the record at a centre (or the ban record), each part a link where there is a page. */
function End({ end }: { end: FindingEnd }) {
  const { t } = useT();
  return (
    <div className="finding-end">
      <strong>{codeLabel('endRole', end.role)}</strong>{' '}
      {end.idNumber ? <Go to={personPath(end.idNumber)}>{end.name}</Go> : end.name}
      {end.idNumber && <span className="meta"> {end.idNumber}</span>}
      {end.creditCode && <span className="meta"> {end.creditCode}</span>}
      {end.centre && (
        <div>
          {centreRef(end.centre)}
          {end.sessionCode && (
            <>
              {' · '}
              <Go to={sessionPath(end.centre.code, end.sessionCode)}>
                {t('regulator.col.session')} {end.sessionCode}
              </Go>
            </>
          )}
          {end.date && ` · ${end.date}`}
        </div>
      )}
      {end.detail && <div className="meta">{oneLanguage(end.detail)}</div>}
    </div>
  );
}

/** Findings no single centre could make, each naming both ends; an official can make one a ledger case. */
export function FindingList({
  ctx,
  findings,
  onChanged,
}: {
  ctx: RegCtx;
  findings: RegulatorFinding[];
  onChanged: () => void;
}) {
  const { t } = useT();
  if (findings.length === 0) return <p className="meta">{t('regulator.findings.none')}</p>;
  return (
    <ul className="findings" data-testid="findings">
      {findings.map((f) => (
        <li key={f.id} className="finding" data-kind={f.kind}>
          <div className="finding-head">
            <span className="tag">{codeLabel('finding', f.kind)}</span> <span>{oneLanguage(f.summary)}</span>
            <span className="meta"> · {formatDateTime(f.foundAt)}</span>
          </div>
          <div className="finding-ends">
            <End end={f.a} />
            <span className="finding-vs">⟷</span>
            <End end={f.b} />
          </div>
          {f.caseId === null ? (
            <OpenCase ctx={ctx} findingId={f.id} onDone={onChanged} />
          ) : (
            <p className="meta">{t('regulator.findings.caseOpened', { id: f.caseId })}</p>
          )}
        </li>
      ))}
    </ul>
  );
}

function OpenCase({ ctx, findingId, onDone }: { ctx: RegCtx; findingId: number; onDone: () => void }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ measure: '', responsible: '', deadline: todayInCentre(30), note: '' });
  const [error, setError] = useState<string | null>(null);
  if (!open)
    return (
      <div className="action-bar">
        <button type="button" onClick={() => setOpen(true)} data-testid="open-case">
          {t('regulator.findings.openCase')}
        </button>
      </div>
    );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      measure: form.measure.trim(),
      responsible: form.responsible.trim(),
      deadline: form.deadline,
      ...(form.note.trim() ? { note: form.note.trim() } : {}),
    };
    const res = await post<RegulatorCase>(`/findings/${findingId}/case`, body, ctx.token);
    if (res.ok) onDone();
    else setError(res.error);
  };
  const field = (k: 'measure' | 'responsible' | 'note', required = true) => (
    <label>
      {t(`regulator.findings.${k}`)}
      <input name={k} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} required={required} />
    </label>
  );
  return (
    <form className="case-form" onSubmit={submit} data-testid="case-form">
      {field('measure')}
      <div className="row">
        {field('responsible')}
        <label>
          {t('regulator.findings.deadline')}
          <input
            name="deadline"
            type="date"
            value={form.deadline}
            onChange={(e) => setForm({ ...form, deadline: e.target.value })}
            required
          />
        </label>
      </div>
      {field('note', false)}
      <div className="action-bar">
        <button className="primary" type="submit">
          {t('regulator.findings.confirmCase')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
        {error && <span className="error">{error}</span>}
      </div>
    </form>
  );
}
