import { useState } from 'react';
import type {
  IntegrityFinding,
  IntegrityRunView,
  SessionIntegrityView,
  SessionStaffView,
} from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { label, RECORD_NAMES, RULE_NAMES, SYSTEM_NAMES } from '../catalogue';
import { ConfirmAction } from '../components/ConfirmAction';
import { useApi } from '../use-api';
import { ImportPageRoster } from './RosterImport';
import { api, errorText } from './people-api';
import type { PeopleCtx } from './PeopleRoutes';
import { peopleText } from './people-text';
import './people.css';
import { formatDateTime } from '../../time-format';

const when = (ms: number) => formatDateTime(ms);

function Findings({ findings }: { findings: IntegrityFinding[] }) {
  const { lang } = useT();
  const t = peopleText(lang);
  if (findings.length === 0) return <span className="outcome-pass">✓</span>;
  return (
    <>
      {findings.slice(0, 20).map((f, i) => (
        <div key={i} className="finding">
          <span className={f.exceptionId ? 'outcome-exception' : 'outcome-violation'}>
            {label(RULE_NAMES, f.code, lang === 'en')}
          </span>{' '}
          {f.message}{' '}
          <small>
            ← {f.records.map((r) => `${label(RECORD_NAMES, r.type, lang === 'en')} ${r.summary}`).join('；')}
            {f.exceptionId ? ` · ${t.exceptions} #${f.exceptionId}` : ''}
          </small>
        </div>
      ))}
      {findings.length > 20 && <small>… {findings.length - 20}</small>}
    </>
  );
}

/**
 * A session's staff assignment with its check outcome, the roster's registration and import, and every
 * integrity check that ran (officials read it; admins and chief examiners act on it).
 */
export function SessionIntegritySection({ ctx, sessionId }: { ctx: PeopleCtx; sessionId: number }) {
  const { lang } = useT();
  const t = peopleText(lang);
  const planner =
    ctx.base === '/staff' &&
    ctx.roles.some((r) => r === 'admin' || r === 'chief_examiner') &&
    !ctx.roles.includes('official');
  const admin = planner && ctx.roles.includes('admin');
  const staff = useApi<SessionStaffView>(`/sessions/${sessionId}/staff`, ctx.token, ctx.onExpired);
  const integrity = useApi<SessionIntegrityView>(`/sessions/${sessionId}/integrity`, ctx.token, ctx.onExpired);
  const [duty, setDuty] = useState<Record<number, string>>({});
  const [idNumber, setIdNumber] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const reload = () => {
    staff.reload();
    integrity.reload();
  };
  const act = (p: Promise<unknown>) =>
    p.then(
      () => (setMessage({ ok: true, text: t.saved }), reload()),
      (e: unknown) => (setMessage({ ok: false, text: errorText(e) }), reload()),
    );
  // The roster is fixed once papers are sealed (registrations.service.ts).
  const rosterOpen = ['draft', 'scheduled'].includes(integrity.data?.current.state ?? '');
  // From admission to the end no one is removed from beside the running roster (issue 13); the server refuses
  // anything that would leave the room below its minimum of proctors anyway.
  const live = ['open', 'running', 'paused'].includes(integrity.data?.current.state ?? '');
  const mayRemove = planner && !live;
  // Actor ids of the check runs as names (issue 16): staff known to this page, or the system step.
  const names = new Map<string, string>();
  for (const x of staff.data?.eligibility ?? []) names.set(`staff:${x.staffId}`, x.name);
  for (const x of staff.data?.assigned ?? []) names.set(`staff:${x.staffId}`, x.name);
  const who = (actor: string) =>
    names.get(actor) ??
    (actor.startsWith('system:')
      ? label(SYSTEM_NAMES, actor.slice(7), lang === 'en')
      : lang === 'en'
        ? 'staff'
        : '工作人员');
  if (!ctx.roles.some((r) => r === 'admin' || r === 'chief_examiner' || r === 'official')) return null;
  return (
    <section className="panel integrity-section" data-testid="integrity-section">
      <h2>{t.assignment}</h2>
      <p className="meta">{t.secret}</p>
      {message && (
        <p className={message.ok ? 'ok' : 'error'} data-testid="integrity-message">
          {message.text}
        </p>
      )}
      {staff.error && <p className="error">{staff.error}</p>}
      {staff.data && (
        <>
          <h3>{t.assigned}</h3>
          {planner && live && (
            <p className="meta" data-testid="live-staffing">
              {t.liveStaffing}
            </p>
          )}
          <table data-testid="assigned-staff">
            <thead>
              <tr>
                <th>{t.name}</th>
                <th>{t.duty}</th>
                <th>{t.at}</th>
                {mayRemove && <th />}
              </tr>
            </thead>
            <tbody>
              {staff.data.assigned.map((a) => (
                <tr key={a.staffId}>
                  <td>{a.name}</td>
                  <td>{t.duties[a.duty]}</td>
                  <td>{when(a.assignedAt)}</td>
                  {mayRemove && (
                    <td>
                      {/* Removal is offered only before admission (mayRemove); still said and confirmed. */}
                      <ConfirmAction
                        className="secondary small"
                        label={t.remove}
                        title={lang === 'en' ? `Remove ${a.name} from this session` : `取消指派：${a.name}`}
                        consequence={
                          lang === 'en'
                            ? `${a.name} will no longer be assigned to this session.`
                            : `${a.name} 将不再担任本场${t.duties[a.duty]}。`
                        }
                        onConfirm={() =>
                          act(api(`/sessions/${sessionId}/staff/${a.staffId}`, { method: 'DELETE', token: ctx.token }))
                        }
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t.eligibility}</h3>
          <table data-testid="eligibility">
            <thead>
              <tr>
                <th>{t.name}</th>
                <th>{t.outcome}</th>
                <th>{t.findings}</th>
                {planner && <th />}
              </tr>
            </thead>
            <tbody>
              {staff.data.eligibility
                .filter((e) => !staff.data?.assigned.some((a) => a.staffId === e.staffId))
                .map((e) => (
                  <tr key={e.staffId} data-testid={`eligibility-${e.username}`}>
                    <td>
                      {e.name} <small>{e.username}</small>
                    </td>
                    <td className={`outcome-${e.outcome}`}>{t.outcomes[e.outcome]}</td>
                    <td>
                      <Findings findings={e.findings} />
                    </td>
                    {planner && (
                      <td className="people-actions">
                        <select
                          value={duty[e.staffId] ?? (e.roles.includes('proctor') ? 'proctor' : 'chief_examiner')}
                          onChange={(x) => setDuty({ ...duty, [e.staffId]: x.target.value })}
                        >
                          {Object.entries(t.duties).map(([k, v]) => (
                            <option key={k} value={k}>
                              {v}
                            </option>
                          ))}
                        </select>
                        <button
                          className="secondary small"
                          onClick={() =>
                            act(
                              api(`/sessions/${sessionId}/staff`, {
                                token: ctx.token,
                                body: {
                                  staffId: e.staffId,
                                  duty: duty[e.staffId] ?? (e.roles.includes('proctor') ? 'proctor' : 'chief_examiner'),
                                },
                              }),
                            )
                          }
                        >
                          {t.assign}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
            </tbody>
          </table>
        </>
      )}
      {planner && rosterOpen && (
        <div className="people-actions">
          <input
            placeholder={t.idNumber}
            value={idNumber}
            maxLength={18}
            onChange={(e) => setIdNumber(e.target.value)}
          />
          <button
            className="secondary"
            onClick={() =>
              act(
                api(`/sessions/${sessionId}/registrations`, { token: ctx.token, body: { idNumber: idNumber.trim() } }),
              )
            }
          >
            {t.register}
          </button>
        </div>
      )}
      {admin && rosterOpen && <ImportPageRoster ctx={ctx} sessionId={sessionId} onDone={reload} />}
      {integrity.error && <p className="error">{integrity.error}</p>}
      {integrity.data && (
        <IntegrityRecord
          view={integrity.data}
          ctx={ctx}
          sessionId={sessionId}
          admin={admin}
          who={who}
          onChange={reload}
        />
      )}
    </section>
  );
}

function RunRow({ run, who }: { run: IntegrityRunView; who: (actor: string) => string }) {
  const { lang } = useT();
  const t = peopleText(lang);
  return (
    <details>
      <summary>
        <span className={`outcome-${run.outcome}`}>{t.outcomes[run.outcome]}</span> ·{' '}
        {t.purposes[run.purpose] ?? run.purpose} · {when(run.at)} · {who(run.actor)}
      </summary>
      <table>
        <thead>
          <tr>
            <th>{t.rule}</th>
            <th>{t.outcome}</th>
            <th>{t.findings}</th>
            <th>{t.inputs}</th>
          </tr>
        </thead>
        <tbody>
          {run.checks.map((c) => (
            <tr key={c.id}>
              <td>{label(RULE_NAMES, c.rule, lang === 'en')}</td>
              <td className={`outcome-${c.outcome}`}>{t.outcomes[c.outcome]}</td>
              <td>
                <Findings findings={c.findings} />
              </td>
              <td>
                <details>
                  <summary>JSON</summary>
                  <pre>{JSON.stringify(c.inputs, null, 1)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function IntegrityRecord(props: {
  view: SessionIntegrityView;
  ctx: PeopleCtx;
  sessionId: number;
  admin: boolean;
  who: (actor: string) => string;
  onChange: () => void;
}) {
  const { lang } = useT();
  const t = peopleText(lang);
  const { view } = props;
  const sameEmployer = view.current.results
    .flatMap((r) => r.findings)
    .filter((f) => f.exceptionAllowed && !f.exceptionId)
    // one recorded exception waits for the official's confirmation: not a second one for the same pair
    .filter(
      (f) =>
        !view.exceptions.some((e) => e.code === f.code && e.staffId === f.staffId && e.candidateId === f.candidateId),
    );
  const official = props.ctx.roles.includes('official');
  const confirm = (id: number) =>
    api(`/sessions/${props.sessionId}/integrity/exceptions/${id}/confirm`, { token: props.ctx.token, body: {} }).then(
      props.onChange,
      (e: unknown) => setError(errorText(e)),
    );
  const [x, setX] = useState({ justification: '', approver: '', documentRef: '' });
  const [error, setError] = useState<string | null>(null);
  const record = (f: IntegrityFinding) =>
    api(`/sessions/${props.sessionId}/integrity/exceptions`, {
      token: props.ctx.token,
      body: { code: f.code, reason: f.reason, staffId: f.staffId, candidateId: f.candidateId, ...x },
    }).then(props.onChange, (e: unknown) => setError(errorText(e)));
  return (
    <>
      <h3>
        {t.current}: <span className={`outcome-${view.current.outcome}`}>{t.outcomes[view.current.outcome]}</span>{' '}
        <small>({view.current.examDate})</small>
      </h3>
      <table data-testid="integrity-current">
        <tbody>
          {view.current.results.map((r) => (
            <tr key={r.rule}>
              <td>{label(RULE_NAMES, r.rule, lang === 'en')}</td>
              <td className={`outcome-${r.outcome}`}>{t.outcomes[r.outcome]}</td>
              <td>
                <Findings findings={r.findings} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.admin && sameEmployer.length > 0 && (
        <div className="people-form">
          <strong className="wide">{t.recordException}</strong>
          <label>
            {t.justification}
            <textarea
              rows={2}
              value={x.justification}
              onChange={(e) => setX({ ...x, justification: e.target.value })}
            />
          </label>
          <label>
            {t.approver}
            <input value={x.approver} onChange={(e) => setX({ ...x, approver: e.target.value })} />
          </label>
          <label>
            {t.documentRef}
            <input value={x.documentRef} onChange={(e) => setX({ ...x, documentRef: e.target.value })} />
          </label>
          {sameEmployer.slice(0, 10).map((f, i) => (
            <button key={i} className="secondary small wide" onClick={() => record(f)}>
              {t.recordException}: {f.message}
            </button>
          ))}
          {error && <p className="error wide">{error}</p>}
        </div>
      )}
      <h3>{t.exceptions}</h3>
      {view.exceptions.length === 0 ? (
        <p className="meta">{t.none}</p>
      ) : (
        <ul>
          {view.exceptions.map((e) => (
            <li key={e.id}>
              #{e.id} {label(RULE_NAMES, e.code, lang === 'en')} · {e.staffName}
              {e.candidateName ? ` × ${e.candidateName}` : ''} · {e.justification} · {t.approver} {e.approver}
              {e.documentRef ? ` · ${e.documentRef}` : ''} · {when(e.recordedAt)} {props.who(e.recordedBy)} ·{' '}
              {e.confirmedAt !== null ? (
                <span className="outcome-pass">
                  {t.exceptionConfirmed} {when(e.confirmedAt)} {props.who(e.confirmedBy ?? '')}
                </span>
              ) : (
                <span className="outcome-violation">{t.exceptionPending}</span>
              )}
              {official && e.confirmedAt === null && (
                <button className="secondary small" onClick={() => void confirm(e.id)}>
                  {t.confirmException}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <h3>{t.checks}</h3>
      {view.runs.length === 0 ? (
        <p className="meta">{t.none}</p>
      ) : (
        view.runs.map((r) => <RunRow key={r.id} run={r} who={props.who} />)
      )}
    </>
  );
}
