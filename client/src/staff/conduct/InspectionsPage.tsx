import { useState } from 'react';
import type { InspectionView, SessionSummary } from '../../../../server/src/protocol';
import { useApi } from '../use-api';
import { AREA_NAMES, NavLink, todayCst, useCall, useL, type Ctx } from './conduct-common';

const AREAS = ['site', 'equipment', 'certificates', 'procedure', 'disclosure', 'archives'] as const;
type Finding = {
  area: (typeof AREAS)[number];
  problem: string;
  measure: string;
  responsible: string;
  deadline: string;
};

/** Inspections and on-site spot checks (现场监督抽查); officials record them with their findings. */
export function InspectionsPage({ ctx }: { ctx: Ctx }) {
  const L = useL();
  const { data, error, reload } = useApi<{ inspections: InspectionView[] }>(
    '/conduct/inspections',
    ctx.token,
    ctx.onExpired,
  );
  const official = ctx.roles.includes('official');
  return (
    <section className="panel">
      <h1>{L('监督检查与现场抽查', 'Inspections and spot checks')}</h1>
      {official && <InspectionForm ctx={ctx} onDone={reload} />}
      {error && <p className="error">{error}</p>}
      <table className="conduct-table" data-testid="inspections-table">
        <thead>
          <tr>
            <th>#</th>
            <th>{L('日期', 'Date')}</th>
            <th>{L('类型', 'Kind')}</th>
            <th>{L('检查人员', 'Inspectors')}</th>
            <th>{L('检查内容', 'Areas')}</th>
            <th>{L('场次', 'Session')}</th>
            <th>{L('发现问题', 'Findings')}</th>
            <th>{L('备注', 'Notes')}</th>
          </tr>
        </thead>
        <tbody>
          {data?.inspections.map((i) => (
            <tr key={i.id}>
              <td>{i.id}</td>
              <td>{i.day}</td>
              <td>{i.kind === 'inspection' ? L('检查', 'inspection') : L('现场抽查', 'spot check')}</td>
              <td>{i.inspectors}</td>
              <td>{i.areas.map((a) => L(...(AREA_NAMES[a] ?? [a, a]))).join('、')}</td>
              <td>
                {i.sessionId !== null && (
                  // The session's own event log (officials' console, issue 7): the spot check sits after event #sessionEventSeq.
                  <NavLink href={`${ctx.base}/audit/log/session:${i.sessionId}`}>
                    {i.sessionCode}{' '}
                    {i.sessionEventSeq !== null
                      ? L(`（事件 #${i.sessionEventSeq} 后）`, `(after event #${i.sessionEventSeq})`)
                      : ''}
                  </NavLink>
                )}
              </td>
              <td>{i.findings}</td>
              <td>{i.notes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function InspectionForm({ ctx, onDone }: { ctx: Ctx; onDone: () => void }) {
  const L = useL();
  const [error, setError] = useState<string | null>(null);
  const call = useCall(ctx, setError);
  const [kind, setKind] = useState<'inspection' | 'spot-check'>('inspection');
  const [day, setDay] = useState(todayCst());
  const [inspectors, setInspectors] = useState('');
  const [areas, setAreas] = useState<string[]>([]);
  const [sessionId, setSessionId] = useState('');
  const [notes, setNotes] = useState('');
  const [findings, setFindings] = useState<Finding[]>([]);
  const sessions = useApi<{ sessions: SessionSummary[] }>('/sessions', ctx.token, ctx.onExpired).data?.sessions ?? [];
  // Spot checks are of live sessions (现场监督抽查); the server refuses others.
  const live = sessions.filter((x) => ['open', 'running', 'paused'].includes(x.state));
  const setFinding = (i: number, f: Partial<Finding>) =>
    setFindings(findings.map((x, j) => (j === i ? { ...x, ...f } : x)));
  return (
    <form
      className="conduct-form"
      onSubmit={(e) => {
        e.preventDefault();
        const body = { kind, day, inspectors, areas, sessionId: sessionId ? Number(sessionId) : null, notes, findings };
        void call('/conduct/inspections', body).then((ok) => {
          if (!ok) return;
          setFindings([]);
          setNotes('');
          onDone();
        });
      }}
    >
      <h2>{L('记录检查', 'Record an inspection')}</h2>
      <label>
        {L('类型', 'Kind')}
        <select data-testid="inspection-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="inspection">{L('监督检查', 'Inspection')}</option>
          <option value="spot-check">{L('现场抽查（考试进行中）', 'Spot check of a live session')}</option>
        </select>
      </label>
      <label>
        {L('日期', 'Date')}
        <input type="date" required value={day} onChange={(e) => setDay(e.target.value)} />
      </label>
      <label>
        {L('检查人员', 'Inspectors')}
        <input
          data-testid="inspection-inspectors"
          required
          maxLength={200}
          value={inspectors}
          onChange={(e) => setInspectors(e.target.value)}
        />
      </label>
      {kind === 'spot-check' && (
        <label>
          {L('场次', 'Session')}
          <select required data-testid="spot-session" value={sessionId} onChange={(e) => setSessionId(e.target.value)}>
            <option value="">—</option>
            {live.map((x) => (
              <option key={x.id} value={x.id}>
                {x.code} · {x.name} · {x.state}
              </option>
            ))}
          </select>
        </label>
      )}
      <fieldset>
        <legend>{L('检查内容', 'Areas checked')}</legend>
        {AREAS.map((a) => (
          <label key={a} className="check">
            <input
              type="checkbox"
              data-testid={`area-${a}`}
              checked={areas.includes(a)}
              onChange={(e) => setAreas(e.target.checked ? [...areas, a] : areas.filter((x) => x !== a))}
            />
            {L(...AREA_NAMES[a]!)}
          </label>
        ))}
      </fieldset>
      <label>
        {L('检查情况', 'Notes')}
        <textarea maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      {findings.map((f, i) => (
        <fieldset key={i}>
          <legend>{L(`发现问题 ${i + 1}`, `Finding ${i + 1}`)}</legend>
          <label>
            {L('方面', 'Area')}
            <select value={f.area} onChange={(e) => setFinding(i, { area: e.target.value as Finding['area'] })}>
              {AREAS.map((a) => (
                <option key={a} value={a}>
                  {L(...AREA_NAMES[a]!)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {L('问题', 'Problem')}
            <input
              required
              maxLength={500}
              value={f.problem}
              onChange={(e) => setFinding(i, { problem: e.target.value })}
            />
          </label>
          <label>
            {L('整改举措', 'Measure')}
            <input
              required
              maxLength={500}
              value={f.measure}
              onChange={(e) => setFinding(i, { measure: e.target.value })}
            />
          </label>
          <label>
            {L('责任人', 'Responsible')}
            <input
              required
              maxLength={50}
              value={f.responsible}
              onChange={(e) => setFinding(i, { responsible: e.target.value })}
            />
          </label>
          <label>
            {L('整改时限', 'Deadline')}
            <input
              type="date"
              required
              value={f.deadline}
              onChange={(e) => setFinding(i, { deadline: e.target.value })}
            />
          </label>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() =>
          setFindings([...findings, { area: 'site', problem: '', measure: '', responsible: '', deadline: todayCst() }])
        }
      >
        + {L('发现问题', 'Finding')}
      </button>
      <button type="submit" className="primary" data-testid="inspection-save" disabled={areas.length === 0}>
        {L('保存', 'Save')}
      </button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}
