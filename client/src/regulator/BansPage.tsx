import { useState, type FormEvent } from 'react';
import type { BanListState, BanRow, BanSaved } from '../../../server/src/protocol/regulator-admin';
import { PERSON_BAN_REASONS } from '../../../server/src/protocol/regulator-admin';
import { useT, type MessageKey } from '../i18n';
import { useApi } from '../staff/use-api';
import { formatDateTime, todayInCentre } from '../time-format';
import type { RegCtx } from './reg-auth';
import { codeLabel, post } from './reg-text';

/**
 * Province-wide bans: disciplinary records (permanent) and dishonest organisations (3 years). Every change
 * publishes a new signed list version to every centre, where the records are binding (issue 14).
 */
export function BansPage({ ctx }: { ctx: RegCtx }) {
  const { t } = useT();
  const state = useApi<BanListState>('/bans', ctx.token, ctx.onExpired);
  const s = state.data;
  return (
    <div className="stack">
      <section className="panel" data-testid="bans">
        <h1>{t('regulator.bans.title')}</h1>
        {state.error && <p className="error">{state.error}</p>}
        {s && (
          <p className="meta">
            {s.version === 0
              ? t('regulator.bans.noList')
              : t('regulator.bans.version', {
                  v: s.version,
                  at: s.issuedAt === null ? '—' : formatDateTime(s.issuedAt),
                })}
          </p>
        )}
        {s && s.bans.length === 0 && <p className="meta">{t('regulator.bans.none')}</p>}
        {s && s.bans.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>{t('regulator.bans.kind')}</th>
                <th>{t('regulator.col.name')}</th>
                <th>{t('regulator.bans.subject')}</th>
                <th>{t('regulator.bans.decision')}</th>
                <th>{t('regulator.bans.until')}</th>
                <th>{t('regulator.bans.summary')}</th>
                <th>{t('regulator.bans.status')}</th>
              </tr>
            </thead>
            <tbody>
              {s.bans.map((b) => (
                <BanLine key={b.id} ctx={ctx} b={b} onDone={state.reload} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {ctx.admin && <AddBan ctx={ctx} onDone={state.reload} />}
    </div>
  );
}

function BanLine({ ctx, b, onDone }: { ctx: RegCtx; b: BanRow; onDone: () => void }) {
  const { t } = useT();
  const [lifting, setLifting] = useState(false);
  return (
    <>
      <tr className={b.lifted ? 'lifted' : undefined}>
        <td>
          {codeLabel('banKind', b.kind)}
          {b.reason && <div className="meta">{codeLabel('banReason', b.reason)}</div>}
        </td>
        <td>{b.name}</td>
        <td className="mono">{b.subject}</td>
        <td>
          {b.decisionDate}
          <div className="meta">
            {b.authority} {b.documentNo}
          </div>
        </td>
        <td>{b.barredUntil ?? t('regulator.bans.permanent')}</td>
        <td>{b.summary}</td>
        <td>
          {b.lifted ? (
            <span className="meta">
              {t('regulator.bans.liftedOn', { at: formatDateTime(b.lifted.at) })}
              <br />
              {t('regulator.bans.liftedBy', {
                authority: b.lifted.authority,
                documentNo: b.lifted.documentNo,
                reason: b.lifted.reason,
              })}
            </span>
          ) : (
            <>
              <span className="verdict-bad">{t('regulator.bans.inForce')}</span>
              {ctx.admin && !lifting && (
                <button type="button" className="small" onClick={() => setLifting(true)}>
                  {t('regulator.bans.lift')}
                </button>
              )}
            </>
          )}
        </td>
      </tr>
      {lifting && (
        <tr>
          <td colSpan={7}>
            <LiftForm
              ctx={ctx}
              id={b.id}
              onDone={() => {
                setLifting(false);
                onDone();
              }}
            />
          </td>
        </tr>
      )}
    </>
  );
}

function LiftForm({ ctx, id, onDone }: { ctx: RegCtx; id: number; onDone: () => void }) {
  const { t } = useT();
  const [form, setForm] = useState({ authority: '', documentNo: '', reason: '' });
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const res = await post<BanSaved>(`/bans/${id}/lift`, form, ctx.token);
    if (res.ok) onDone();
    else setError(res.error);
  };
  return (
    <form className="action-bar" onSubmit={submit}>
      {(['authority', 'documentNo', 'reason'] as const).map((k) => (
        <input
          key={k}
          className="inline-input"
          placeholder={t(`regulator.bans.lift.${k}`)}
          value={form[k]}
          onChange={(e) => setForm({ ...form, [k]: e.target.value })}
          required
        />
      ))}
      <button type="submit" className="danger">
        {t('regulator.bans.liftConfirm')}
      </button>
      {error && <span className="error">{error}</span>}
    </form>
  );
}

type BanForm = {
  kind: 'person' | 'organisation';
  subject: string;
  name: string;
  reason: (typeof PERSON_BAN_REASONS)[number];
  decisionDate: string;
  authority: string;
  documentNo: string;
  summary: string;
};

function AddBan({ ctx, onDone }: { ctx: RegCtx; onDone: () => void }) {
  const { t } = useT();
  const empty: BanForm = {
    kind: 'person',
    subject: '',
    name: '',
    reason: 'conduct',
    decisionDate: todayInCentre(),
    authority: '',
    documentNo: '',
    summary: '',
  };
  const [form, setForm] = useState<BanForm>(empty);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const common = {
      name: form.name.trim(),
      decisionDate: form.decisionDate,
      authority: form.authority.trim(),
      documentNo: form.documentNo.trim(),
      summary: form.summary.trim(),
    };
    const body =
      form.kind === 'person'
        ? { kind: 'person', idNumber: form.subject.trim().toUpperCase(), reason: form.reason, ...common }
        : { kind: 'organisation', creditCode: form.subject.trim().toUpperCase(), ...common };
    const res = await post<BanSaved>('/bans', body, ctx.token);
    if (res.ok) {
      setMsg({ ok: true, text: t('regulator.bans.saved', { v: res.data.version, n: res.data.queuedTo }) });
      setForm({ ...empty, kind: form.kind });
      onDone();
    } else setMsg({ ok: false, text: res.error });
  };
  const field = (k: 'subject' | 'name' | 'authority' | 'documentNo' | 'summary', key: MessageKey, type = 'text') => (
    <label>
      {t(key)}
      <input
        name={k}
        type={type}
        value={form[k]}
        onChange={(e) => setForm({ ...form, [k]: e.target.value })}
        required
      />
    </label>
  );
  return (
    <form className="panel plan-form" onSubmit={submit} data-testid="add-ban">
      <h2>{t('regulator.bans.addTitle')}</h2>
      <div className="row">
        <label>
          {t('regulator.bans.kind')}
          <select
            name="kind"
            value={form.kind}
            onChange={(e) => setForm({ ...form, kind: e.target.value === 'organisation' ? 'organisation' : 'person' })}
          >
            <option value="person">{codeLabel('banKind', 'person')}</option>
            <option value="organisation">{codeLabel('banKind', 'organisation')}</option>
          </select>
        </label>
        {form.kind === 'person' && (
          <label>
            {t('regulator.bans.reason')}
            <select
              name="reason"
              value={form.reason}
              onChange={(e) =>
                setForm({ ...form, reason: PERSON_BAN_REASONS.find((r) => r === e.target.value) ?? 'conduct' })
              }
            >
              {PERSON_BAN_REASONS.map((r) => (
                <option key={r} value={r}>
                  {codeLabel('banReason', r)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className="row">
        {field('subject', form.kind === 'person' ? 'regulator.bans.idNumber' : 'regulator.bans.creditCode')}
        {field('name', form.kind === 'person' ? 'regulator.col.name' : 'regulator.bans.orgName')}
      </div>
      <div className="row">
        <label>
          {t('regulator.bans.decisionDate')}
          <input
            name="decisionDate"
            type="date"
            value={form.decisionDate}
            onChange={(e) => setForm({ ...form, decisionDate: e.target.value })}
            required
          />
        </label>
        {field('authority', 'regulator.bans.authority')}
        {field('documentNo', 'regulator.bans.documentNo')}
      </div>
      {field('summary', 'regulator.bans.summary')}
      <p className="meta">{form.kind === 'person' ? t('regulator.bans.personHint') : t('regulator.bans.orgHint')}</p>
      <div className="action-bar">
        <button className="primary" type="submit">
          {t('regulator.bans.add')}
        </button>
        {msg && <span className={msg.ok ? 'verdict-ok' : 'error'}>{msg.text}</span>}
      </div>
    </form>
  );
}
