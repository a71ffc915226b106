import { useState } from 'react';
import type { LedgerEntry } from '../../../../server/src/protocol';
import { Link } from '../audit/AuditLinks';
import { logHref } from '../audit/EventLogPage';
import { useApi } from '../use-api';
import { AREA_NAMES, downloadFile, STATUS_NAMES, timeCst, useCall, useL, type Ctx } from './conduct-common';

/** 整改工作台账: problem, measure and responsibility lists in one printable table, with each entry's steps. */
export function LedgerPage({ ctx }: { ctx: Ctx }) {
  const L = useL();
  const { data, error, reload } = useApi<{ entries: LedgerEntry[]; today: string }>(
    '/conduct/ledger',
    ctx.token,
    ctx.onExpired,
  );
  const [fail, setFail] = useState<string | null>(null);
  const overdue = data?.entries.filter((e) => e.overdue).length ?? 0;
  return (
    <section className="panel conduct-print">
      <h1>{L('整改工作台账', 'Rectification ledger')}</h1>
      <p className="meta">
        {L('问题清单 · 举措清单 · 责任清单', 'Problems · measures · responsibilities')} · {L('截至', 'as of')}{' '}
        {data?.today ?? ''}（{L('北京时间', 'Beijing time')}）
        {overdue > 0 && <strong className="overdue-count"> · {L(`逾期 ${overdue} 项`, `${overdue} overdue`)}</strong>}
      </p>
      <div className="actions no-print">
        <button onClick={() => window.print()}>{L('打印', 'Print')}</button>
        <button
          onClick={() =>
            downloadFile('/conduct/ledger?format=xlsx', ctx.token, `整改台账-${data?.today ?? ''}.xlsx`).catch(
              (e: unknown) => setFail(String(e)),
            )
          }
        >
          {L('导出 Excel', 'Export Excel')}
        </button>
      </div>
      {(error ?? fail) && <p className="error">{error ?? fail}</p>}
      <table className="conduct-table ledger-table" data-testid="ledger-table">
        <thead>
          <tr>
            <th>#</th>
            <th>{L('来源', 'Source')}</th>
            <th>{L('问题', 'Problem')}</th>
            <th>{L('整改举措', 'Measure')}</th>
            <th>{L('责任人', 'Responsible')}</th>
            <th>{L('时限', 'Deadline')}</th>
            <th>{L('状态', 'Status')}</th>
          </tr>
        </thead>
        <tbody>
          {data?.entries.map((e) => (
            <tr key={e.id} className={e.overdue ? 'overdue' : ''} data-testid={`ledger-row-${e.id}`}>
              <td>{e.id}</td>
              <td>
                {e.fromReport
                  ? L('群众反映', 'report')
                  : `${L('检查', 'inspection')} #${e.inspectionId ?? ''} ${L(...(AREA_NAMES[e.area] ?? [e.area, e.area]))}`}
              </td>
              <td>{e.problem}</td>
              <td>{e.measure}</td>
              <td>{e.responsible}</td>
              <td>
                {e.deadline}
                {e.overdue && <span className="overdue-tag"> {L('逾期', 'overdue')}</span>}
              </td>
              <td data-testid={`ledger-status-${e.id}`}>{L(...(STATUS_NAMES[e.status] ?? [e.status, e.status]))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="no-print">
        {data?.entries.map((e) => (
          <EntryCard key={e.id} entry={e} ctx={ctx} onChange={reload} />
        ))}
      </div>
    </section>
  );
}

function EntryCard({ entry: e, ctx, onChange }: { entry: LedgerEntry; ctx: Ctx; onChange: () => void }) {
  const L = useL();
  const [error, setError] = useState<string | null>(null);
  const call = useCall(ctx, setError);
  const [note, setNote] = useState('');
  const official = ctx.roles.includes('official');
  const status = (x: string) => L(...(STATUS_NAMES[x] ?? [x, x]));
  const institution = !official && ctx.roles.some((r) => r === 'admin' || r === 'chief_examiner');
  const act = (action: string) =>
    void call(`/conduct/ledger/${e.id}/${action}`, { note }).then((ok) => ok && (setNote(''), onChange()));
  const upload = async (file: File) => {
    setError(null);
    const res = await fetch(`/api/conduct/ledger/${e.id}/evidence?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.token}`, 'content-type': file.type || 'application/octet-stream' },
      body: file,
    });
    if (res.ok) onChange();
    else
      setError(
        ((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ??
          `HTTP ${res.status}`,
      );
  };
  const actions: [string, string][] = [];
  if (institution && e.status === 'open')
    actions.push(['respond', L('答复并开始整改', 'Respond and start rectifying')]);
  if (institution && e.status === 'rectifying') actions.push(['rectified', L('报告整改完成', 'Report rectified')]);
  if (official && e.status === 'rectified')
    actions.push(['verify', L('验收通过', 'Verify')], ['reject', L('退回重新整改', 'Reject')]);
  return (
    <article className={`conduct-card ${e.overdue ? 'overdue' : ''}`} data-testid={`ledger-entry-${e.id}`}>
      <header>
        <strong>#{e.id}</strong> {e.problem} · {L(...(STATUS_NAMES[e.status] ?? [e.status, e.status]))} ·{' '}
        <Link href={logHref(ctx.base, 'institution', { ledgerId: String(e.id) })} testId={`ledger-events-${e.id}`}>
          {L('查看相关事件', 'events')}
        </Link>
      </header>
      <ol className="steps">
        {e.steps.map((s, i) => (
          <li key={i}>
            {timeCst(s.at)} · {s.actorName} · {s.from ? `${status(s.from)} → ` : ''}
            {status(s.to)}
            {s.note ? ` · ${s.note}` : ''}
          </li>
        ))}
      </ol>
      {e.evidence.length > 0 && (
        <ul className="evidence">
          {e.evidence.map((v) => (
            <li key={v.id}>
              <button
                className="evidence-link"
                onClick={() => void downloadFile(`/conduct/ledger/${e.id}/evidence/${v.id}`, ctx.token, v.filename)}
              >
                {v.filename}
              </button>{' '}
              <span className="meta">
                {Math.ceil(v.size / 1024)} KB · sha256 {v.sha256.slice(0, 12)}…
              </span>
            </li>
          ))}
        </ul>
      )}
      {institution && e.status !== 'verified' && (
        <label className="upload">
          {L('上传整改证明材料（图片、PDF 或文本，≤ 5 MB）', 'Upload evidence (image, PDF or text, ≤ 5 MB)')}
          <input
            type="file"
            data-testid="evidence-file"
            accept="image/jpeg,image/png,image/webp,application/pdf,text/plain"
            onChange={(ev) => {
              const f = ev.target.files?.[0];
              if (f) void upload(f);
            }}
          />
        </label>
      )}
      {actions.length > 0 && (
        <div className="conduct-form">
          <label>
            {L('说明', 'Note')}
            <textarea
              data-testid="step-note"
              maxLength={1000}
              value={note}
              onChange={(ev) => setNote(ev.target.value)}
            />
          </label>
          {actions.map(([a, label]) => (
            <button
              key={a}
              className={a === 'reject' ? '' : 'primary'}
              data-testid={`ledger-${a}`}
              disabled={note.trim().length < 2}
              onClick={() => act(a)}
            >
              {label}
            </button>
          ))}
        </div>
      )}
      {error && <p className="error">{error}</p>}
    </article>
  );
}
