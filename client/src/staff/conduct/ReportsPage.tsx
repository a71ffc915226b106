import { useState } from 'react';
import type { ReportView } from '../../../../server/src/protocol';
import { useApi } from '../use-api';
import { KIND_NAMES, timeCst, todayCst, useCall, useL, type Ctx } from './conduct-common';

/** Officials only: candidates' conduct reports, each opened as a case (a ledger entry) or closed with an outcome. */
export function ReportsPage({ ctx }: { ctx: Ctx }) {
  const L = useL();
  const { data, error, reload } = useApi<{ reports: ReportView[] }>('/conduct/reports', ctx.token, ctx.onExpired);
  return (
    <section className="panel">
      <h1>{L('群众反映（仅监管人员可见）', 'Conduct reports (officials only)')}</h1>
      {error && <p className="error">{error}</p>}
      {data && data.reports.length === 0 && <p className="meta">{L('暂无反映。', 'No reports.')}</p>}
      {data?.reports.map((r) => (
        <ReportCard key={r.id} report={r} ctx={ctx} onChange={reload} />
      ))}
    </section>
  );
}

function ReportCard({ report: r, ctx, onChange }: { report: ReportView; ctx: Ctx; onChange: () => void }) {
  const L = useL();
  const [error, setError] = useState<string | null>(null);
  const call = useCall(ctx, setError);
  const [mode, setMode] = useState<'none' | 'case' | 'close'>('none');
  const [form, setForm] = useState({ problem: '', measure: '', responsible: '', deadline: todayCst() });
  const [outcome, setOutcome] = useState('');
  const kind = KIND_NAMES[r.kind] ?? [r.kind, r.kind];
  const done = (ok: unknown) => {
    if (!ok) return;
    setMode('none');
    onChange();
  };
  return (
    <article className="conduct-card" data-testid={`report-${r.id}`}>
      <header>
        <strong>
          #{r.id} {L(kind[0], kind[1])}
        </strong>{' '}
        · {r.sessionCode} · {timeCst(r.filedAt)} ·{' '}
        {r.reporter ? `${r.reporter.name}（${r.reporter.admissionNo}）` : L('匿名', 'anonymous')} ·{' '}
        <span className={`status status-${r.status}`}>
          {r.status === 'new'
            ? L('待处理', 'new')
            : r.status === 'case'
              ? L(`已立案 → 台账 #${r.ledgerId}`, `case → ledger #${r.ledgerId}`)
              : L('已办结', 'closed')}
        </span>
      </header>
      <p className="report-body">{r.body}</p>
      {r.contact && (
        <p className="meta">
          {L('联系方式', 'Contact')}: {r.contact}
        </p>
      )}
      {r.outcome && (
        <p className="meta">
          {L('处理结果', 'Outcome')}: {r.outcome}
        </p>
      )}
      <p className="meta hash">sha256 {r.contentHash.slice(0, 16)}…</p>
      {r.status === 'new' && mode === 'none' && (
        <div className="actions">
          <button className="primary" data-testid="open-case" onClick={() => setMode('case')}>
            {L('立案，列入整改台账', 'Open a case (ledger entry)')}
          </button>
          <button onClick={() => setMode('close')}>{L('不予立案并办结', 'Close without a case')}</button>
        </div>
      )}
      {mode === 'case' && (
        <form
          className="conduct-form"
          onSubmit={(e) => {
            e.preventDefault();
            void call(`/conduct/reports/${r.id}/case`, form).then(done);
          }}
        >
          <label>
            {L('问题', 'Problem')}
            <textarea
              data-testid="case-problem"
              required
              maxLength={500}
              value={form.problem}
              onChange={(e) => setForm({ ...form, problem: e.target.value })}
            />
          </label>
          <label>
            {L('整改举措', 'Measure')}
            <textarea
              data-testid="case-measure"
              required
              maxLength={500}
              value={form.measure}
              onChange={(e) => setForm({ ...form, measure: e.target.value })}
            />
          </label>
          <label>
            {L('责任人', 'Responsible')}
            <input
              data-testid="case-responsible"
              required
              maxLength={50}
              value={form.responsible}
              onChange={(e) => setForm({ ...form, responsible: e.target.value })}
            />
          </label>
          <label>
            {L('整改时限（北京时间）', 'Deadline (Beijing time)')}
            <input
              data-testid="case-deadline"
              type="date"
              required
              value={form.deadline}
              onChange={(e) => setForm({ ...form, deadline: e.target.value })}
            />
          </label>
          <button className="primary" type="submit" data-testid="case-submit">
            {L('立案', 'Open case')}
          </button>
          <button type="button" onClick={() => setMode('none')}>
            {L('取消', 'Cancel')}
          </button>
        </form>
      )}
      {mode === 'close' && (
        <form
          className="conduct-form"
          onSubmit={(e) => {
            e.preventDefault();
            void call(`/conduct/reports/${r.id}/close`, { outcome }).then(done);
          }}
        >
          <label>
            {L('处理结果', 'Outcome')}
            <textarea required maxLength={500} value={outcome} onChange={(e) => setOutcome(e.target.value)} />
          </label>
          <button className="primary" type="submit">
            {L('办结', 'Close')}
          </button>
          <button type="button" onClick={() => setMode('none')}>
            {L('取消', 'Cancel')}
          </button>
        </form>
      )}
      {error && <p className="error">{error}</p>}
    </article>
  );
}
