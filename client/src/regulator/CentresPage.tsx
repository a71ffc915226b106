import { useState, type FormEvent } from 'react';
import type { BundleImportResult, CentreRow } from '../../../server/src/protocol/regulator-admin';
import type { MissingArchiveRow } from '../../../server/src/protocol/regulator-view';
import { useT } from '../i18n';
import { label, STATE_NAMES } from '../staff/catalogue';
import { useApi } from '../staff/use-api';
import { formatDateTime } from '../time-format';
import type { RegCtx } from './reg-auth';
import { Go } from './reg-route';
import { codeLabel, download, orDash, post } from './reg-text';
import { sessionPath } from './SittingsTable';

/** The registry: each centre with its pinned key, when it last reported, what waits for it, what it owes. */
export function CentresPage({ ctx }: { ctx: RegCtx }) {
  const { t } = useT();
  const centres = useApi<CentreRow[]>('/centres', ctx.token, ctx.onExpired);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="stack">
      <section className="panel" data-testid="centres">
        <h1>{t('regulator.centres.title')}</h1>
        {centres.error && <p className="error">{centres.error}</p>}
        {error && <p className="error">{error}</p>}
        <table>
          <thead>
            <tr>
              <th>{t('regulator.col.centre')}</th>
              <th>{t('regulator.centres.fingerprint')}</th>
              <th>{t('regulator.centres.registeredAt')}</th>
              <th>{t('regulator.centres.lastContact')}</th>
              <th>{t('regulator.centres.pending')}</th>
              <th>{t('regulator.centres.received')}</th>
              <th>{t('regulator.centres.missing')}</th>
              {ctx.admin && <th>{t('regulator.centres.bundle')}</th>}
            </tr>
          </thead>
          <tbody>
            {(centres.data ?? []).map((c) => (
              <tr key={c.code} data-centre={c.code}>
                <td>
                  {c.name} <span className="meta nowrap">{c.code}</span>
                  {c.creditCode && <div className="meta">{c.creditCode}</div>}
                </td>
                <td className="mono fingerprint">{c.fingerprint}</td>
                <td className="nowrap">{formatDateTime(c.registeredAt)}</td>
                <td>
                  {c.lastContactAt === null
                    ? t('regulator.centres.never')
                    : t('regulator.centres.contactVia', {
                        at: formatDateTime(c.lastContactAt),
                        via: codeLabel('via', c.lastContactVia),
                      })}
                </td>
                <td>{c.pendingOut}</td>
                <td>{c.receivedSeq}</td>
                <td className={c.missingArchives ? 'verdict-bad' : undefined}>{orDash(c.missingArchives)}</td>
                {ctx.admin && (
                  <td>
                    <button
                      type="button"
                      className="small"
                      onClick={() =>
                        download(`/centres/${encodeURIComponent(c.code)}/bundle`, ctx.token, `${c.code}.bundle.json`)
                          .then(centres.reload)
                          .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
                      }
                    >
                      {t('regulator.centres.downloadBundle')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {centres.data?.length === 0 && <p className="meta">{t('regulator.centres.none')}</p>}
      </section>
      <MissingArchives ctx={ctx} />
      {ctx.admin && <UploadBundle ctx={ctx} onDone={centres.reload} />}
      {ctx.admin && <RegisterCentre ctx={ctx} onDone={centres.reload} />}
    </div>
  );
}

function MissingArchives({ ctx }: { ctx: RegCtx }) {
  const { t, lang } = useT();
  const missing = useApi<MissingArchiveRow[]>('/archives/missing', ctx.token, ctx.onExpired);
  return (
    <section className="panel" data-testid="missing-archives">
      <h2>{t('regulator.centres.missingTitle')}</h2>
      <p className="meta">{t('regulator.centres.missingHint')}</p>
      {missing.error && <p className="error">{missing.error}</p>}
      {missing.data?.length === 0 && <p className="meta">{t('regulator.centres.noMissing')}</p>}
      {missing.data && missing.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t('regulator.col.centre')}</th>
              <th>{t('regulator.col.session')}</th>
              <th>{t('regulator.col.category')}</th>
              <th>{t('regulator.session.state')}</th>
              <th>{t('regulator.centres.scheduledEnd')}</th>
              <th>{t('regulator.centres.overdue')}</th>
            </tr>
          </thead>
          <tbody>
            {missing.data.map((m) => (
              <tr key={`${m.centre.code}/${m.sessionCode}`}>
                <td>
                  {m.centre.name} <span className="meta">{m.centre.code}</span>
                </td>
                <td>
                  <Go to={sessionPath(m.centre.code, m.sessionCode)}>{m.sessionCode}</Go>
                </td>
                <td>{m.category}</td>
                <td>{label(STATE_NAMES, m.state, lang === 'en')}</td>
                <td>{formatDateTime(m.scheduledEnd)}</td>
                <td className="verdict-bad">{t('regulator.centres.days', { n: m.daysOverdue })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A bundle carried from a centre on a USB stick does what the link does (issue 14). */
function UploadBundle({ ctx, onDone }: { ctx: RegCtx; onDone: () => void }) {
  const { t } = useT();
  const [result, setResult] = useState<BundleImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = async (file: File) => {
    setResult(null);
    setError(null);
    let body: unknown;
    try {
      body = JSON.parse(await file.text());
    } catch {
      setError(t('regulator.centres.notABundle'));
      return;
    }
    const res = await post<BundleImportResult>('/link/bundle', body, ctx.token);
    if (res.ok) {
      setResult(res.data);
      onDone();
    } else setError(res.error);
  };
  const count = (s: string) => result?.outcomes.filter((o) => o.status === s).length ?? 0;
  return (
    <section className="panel">
      <h2>{t('regulator.centres.uploadTitle')}</h2>
      <p className="meta">{t('regulator.centres.uploadHint')}</p>
      <label className="file-button">
        {t('regulator.centres.chooseBundle')}
        <input
          type="file"
          accept=".json,application/json"
          data-testid="bundle-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void upload(f);
            e.target.value = '';
          }}
        />
      </label>
      {error && <p className="error">{error}</p>}
      {result && (
        <div data-testid="bundle-result">
          <p>
            {t('regulator.centres.uploadResult', {
              from: result.from,
              applied: count('applied'),
              duplicate: count('duplicate'),
              refused: count('refused'),
              acked: result.acked,
            })}
          </p>
          <ul className="checks">
            {result.outcomes
              .filter((o) => o.status === 'refused')
              .map((o) => (
                <li key={o.seq} className="bad">
                  #{o.seq} {o.status === 'refused' ? codeLabel('refusal', o.code) : ''}
                </li>
              ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** Registering pins the centre's key: from then on everything from it is verified against this key only. */
function RegisterCentre({ ctx, onDone }: { ctx: RegCtx; onDone: () => void }) {
  const { t } = useT();
  const empty = { code: '', name: '', creditCode: '', publicKeyPem: '' };
  const [form, setForm] = useState(empty);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      code: form.code.trim(),
      name: form.name.trim(),
      publicKeyPem: form.publicKeyPem.trim(),
      ...(form.creditCode.trim() ? { creditCode: form.creditCode.trim() } : {}),
    };
    const res = await post<CentreRow>('/centres', body, ctx.token);
    if (res.ok) {
      setMsg({
        ok: true,
        text: t('regulator.centres.registered', { code: res.data.code, fingerprint: res.data.fingerprint }),
      });
      setForm(empty);
      onDone();
    } else setMsg({ ok: false, text: res.error });
  };
  const field = (
    k: 'code' | 'name' | 'creditCode',
    key: 'regulator.centres.code' | 'regulator.centres.name' | 'regulator.centres.creditCode',
  ) => (
    <label>
      {t(key)}
      <input
        name={k}
        value={form[k]}
        onChange={(e) => setForm({ ...form, [k]: e.target.value })}
        required={k !== 'creditCode'}
      />
    </label>
  );
  return (
    <form className="panel plan-form" onSubmit={submit} data-testid="register-centre">
      <h2>{t('regulator.centres.registerTitle')}</h2>
      <p className="meta">{t('regulator.centres.registerHint')}</p>
      <div className="row">
        {field('code', 'regulator.centres.code')}
        {field('name', 'regulator.centres.name')}
      </div>
      {field('creditCode', 'regulator.centres.creditCode')}
      <label>
        {t('regulator.centres.publicKey')}
        <textarea
          name="publicKeyPem"
          rows={5}
          className="mono"
          placeholder="-----BEGIN PUBLIC KEY-----"
          value={form.publicKeyPem}
          onChange={(e) => setForm({ ...form, publicKeyPem: e.target.value })}
          required
        />
      </label>
      <div className="action-bar">
        <button className="primary" type="submit">
          {t('regulator.centres.register')}
        </button>
        {msg && <span className={msg.ok ? 'verdict-ok' : 'error'}>{msg.text}</span>}
      </div>
    </form>
  );
}
