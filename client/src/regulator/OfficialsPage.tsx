import { useState, type FormEvent } from 'react';
import type { OfficialRow, OfficialSaved } from '../../../server/src/protocol/regulator-admin';
import { useT } from '../i18n';
import { useApi } from '../staff/use-api';
import { formatDate, formatDateTime } from '../time-format';
import type { RegCtx } from './reg-auth';
import { codeLabel, post } from './reg-text';

/**
 * Officials' accounts: each change is an account here AND a signed grant sent to every centre, so the same
 * person logs in on-site with the same password (issue 14).
 */
export function OfficialsPage({ ctx }: { ctx: RegCtx }) {
  const { t } = useT();
  const list = useApi<OfficialRow[]>('/officials', ctx.token, ctx.onExpired);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const saved = (res: { ok: true; data: OfficialSaved } | { ok: false; error: string }) => {
    if (!res.ok) return setMsg({ ok: false, text: res.error });
    setMsg({
      ok: true,
      text:
        (res.data.oneTimePassword
          ? t('regulator.officials.oneTime', {
              username: res.data.official.username,
              password: res.data.oneTimePassword,
            })
          : t('regulator.officials.saved', { username: res.data.official.username })) +
        ' ' +
        t('regulator.officials.queued', { n: res.data.queuedTo }),
    });
    list.reload();
  };
  return (
    <div className="stack">
      <section className="panel" data-testid="officials">
        <h1>{t('regulator.officials.title')}</h1>
        {list.error && <p className="error">{list.error}</p>}
        {msg && (
          <p className={msg.ok ? 'notice-ok' : 'error'} role="status" data-testid="officials-message">
            {msg.text}
          </p>
        )}
        <table>
          <thead>
            <tr>
              <th>{t('regulator.officials.username')}</th>
              <th>{t('regulator.col.name')}</th>
              <th>{t('regulator.officials.grant')}</th>
              <th>{t('regulator.officials.validUntil')}</th>
              <th>{t('regulator.bans.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((o) => (
              <tr key={o.id} className={o.disabled ? 'lifted' : undefined}>
                <td className="mono">{o.username}</td>
                <td>{o.name}</td>
                <td>
                  {codeLabel('grantAction', o.lastAction)} · {formatDateTime(o.grantIssuedAt)}
                </td>
                <td>{formatDate(o.grantExpiresAt)}</td>
                <td>{o.disabled ? t('regulator.officials.disabled') : t('regulator.officials.active')}</td>
                <td>
                  {!o.disabled && (
                    <span className="action-bar">
                      <button
                        type="button"
                        className="small"
                        onClick={async () =>
                          saved(
                            await post<OfficialSaved>('/officials', { username: o.username, name: o.name }, ctx.token),
                          )
                        }
                      >
                        {t('regulator.officials.newPassword')}
                      </button>
                      <button
                        type="button"
                        className="small danger"
                        onClick={async () => {
                          if (!confirm(t('regulator.officials.disableConfirm', { name: o.name }))) return;
                          saved(
                            await post<OfficialSaved>(
                              `/officials/${encodeURIComponent(o.username)}/disable`,
                              {},
                              ctx.token,
                            ),
                          );
                        }}
                      >
                        {t('regulator.officials.disable')}
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data?.length === 0 && <p className="meta">{t('regulator.officials.none')}</p>}
      </section>
      <CreateOfficial ctx={ctx} onSaved={saved} />
    </div>
  );
}

function CreateOfficial({
  ctx,
  onSaved,
}: {
  ctx: RegCtx;
  onSaved: (res: { ok: true; data: OfficialSaved } | { ok: false; error: string }) => void;
}) {
  const { t } = useT();
  const [form, setForm] = useState({ username: '', name: '', password: '' });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      username: form.username.trim(),
      name: form.name.trim(),
      ...(form.password ? { password: form.password } : {}),
    };
    const res = await post<OfficialSaved>('/officials', body, ctx.token);
    if (res.ok) setForm({ username: '', name: '', password: '' });
    onSaved(res);
  };
  return (
    <form className="panel plan-form" onSubmit={submit} data-testid="create-official">
      <h2>{t('regulator.officials.createTitle')}</h2>
      <div className="row">
        <label>
          {t('regulator.officials.username')}
          <input
            name="username"
            value={form.username}
            onChange={(e) => setForm({ ...form, username: e.target.value })}
            required
          />
        </label>
        <label>
          {t('regulator.col.name')}
          <input name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
        </label>
      </div>
      <label>
        {t('regulator.officials.password')}
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
      </label>
      <div className="action-bar">
        <button className="primary" type="submit">
          {t('regulator.officials.create')}
        </button>
      </div>
    </form>
  );
}
