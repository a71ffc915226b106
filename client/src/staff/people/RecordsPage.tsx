import { useEffect, useState } from 'react';
import type { DisciplinaryView, DishonestyView } from '../../../../server/src/protocol';
import {
  DUTIES,
  NOTICE_ORGANISATION_BAN_YEARS,
  type IntegritySettings,
} from '../../../../server/src/integrity/integrity-settings';
import { useT } from '../../i18n';
import { useApi } from '../use-api';
import { api, errorText } from './people-api';
import type { PeopleCtx } from './PeopleRoutes';
import { fill, peopleText } from './people-text';

export function RecordsPage({ ctx, admin }: { ctx: PeopleCtx; admin: boolean }) {
  const { lang } = useT();
  const t = peopleText(lang);
  const records = useApi<{ disciplinary: DisciplinaryView[]; dishonesty: DishonestyView[] }>(
    '/people/records',
    ctx.token,
    ctx.onExpired,
  );
  const [error, setError] = useState<string | null>(null);
  const revoke = (path: string) => {
    // A sanction is lifted only by the authority's own document (issue 13, hole 11): ask for it, not just a reason.
    const authority = prompt(t.revokeAuthority);
    if (!authority) return;
    const documentNo = prompt(t.revokeDocumentNo);
    if (!documentNo) return;
    const reason = prompt(t.revokeReason);
    if (!reason) return;
    api(path, { token: ctx.token, body: { reason, authority, documentNo } }).then(records.reload, (e: unknown) =>
      setError(errorText(e)),
    );
  };
  const cells = (r: DisciplinaryView | DishonestyView) => (
    <>
      <td>{r.decisionDate}</td>
      <td>{r.authority}</td>
      <td>{r.documentNo}</td>
      <td>{r.summary}</td>
      <td>
        {r.revokedAt
          ? `${t.revoked}（${r.revokeAuthority ?? ''} ${r.revokeDocumentNo ?? ''}）：${r.revokeReason ?? ''}`
          : ''}
      </td>
    </>
  );
  return (
    <>
      {error && <p className="error">{error}</p>}
      {records.error && <p className="error">{records.error}</p>}
      <h2>{t.disciplinaryList}</h2>
      <table data-testid="disciplinary-table">
        <thead>
          <tr>
            <th>{t.name}</th>
            <th>{t.kind}</th>
            <th>{t.decisionDate}</th>
            <th>{t.authority}</th>
            <th>{t.documentNo}</th>
            <th>{t.summary}</th>
            <th />
            {admin && <th />}
          </tr>
        </thead>
        <tbody>
          {records.data?.disciplinary.map((r) => (
            <tr key={r.id}>
              <td>{r.staffName}</td>
              <td>{t.disciplineKinds[r.kind] ?? r.kind}</td>
              {cells(r)}
              {admin && (
                <td>
                  {!r.revokedAt && (
                    <button className="secondary small" onClick={() => revoke(`/people/disciplinary/${r.id}/revoke`)}>
                      {t.revoke}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t.dishonestyList}</h2>
      <table data-testid="dishonesty-table">
        <thead>
          <tr>
            <th>{t.org}</th>
            <th>{t.barredUntil}</th>
            <th>{t.decisionDate}</th>
            <th>{t.authority}</th>
            <th>{t.documentNo}</th>
            <th>{t.summary}</th>
            <th />
            {admin && <th />}
          </tr>
        </thead>
        <tbody>
          {records.data?.dishonesty.map((r) => (
            <tr key={r.id}>
              <td>{r.orgName}</td>
              <td>{r.barredUntil}</td>
              {cells(r)}
              {admin && (
                <td>
                  {!r.revokedAt && (
                    <button className="secondary small" onClick={() => revoke(`/people/dishonesty/${r.id}/revoke`)}>
                      {t.revoke}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <SettingsForm ctx={ctx} admin={admin} />
    </>
  );
}

// The lowest value each number may take: the schema's range, and for the notice's own number its floor
// (issue 13, hole 11), so the form never offers what the server will refuse.
const NUMBERS = {
  proctorsPerRoom: { min: 1, max: 10 },
  trainingLookbackYears: { min: 0, max: 20 },
  organisationBanYears: { min: NOTICE_ORGANISATION_BAN_YEARS, max: 20 },
  recusalSkipSuspensionYears: { min: 0, max: 10 },
} as const;
type NumberKey = keyof typeof NUMBERS;
const clamp = (k: NumberKey, v: number) =>
  Math.min(NUMBERS[k].max, Math.max(NUMBERS[k].min, Number.isFinite(v) ? Math.round(v) : NUMBERS[k].min));

function SettingsForm({ ctx, admin }: { ctx: PeopleCtx; admin: boolean }) {
  const { lang } = useT();
  const t = peopleText(lang);
  const loaded = useApi<IntegritySettings>('/integrity/settings', ctx.token, ctx.onExpired);
  const [s, setS] = useState<IntegritySettings | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setS(loaded.data), [loaded.data]);
  if (!s) return null;
  const keys = Object.keys(NUMBERS) as NumberKey[];
  // What is sent is inside the floors whatever is still being typed.
  const body = (): IntegritySettings => ({
    ...s,
    ...Object.fromEntries(keys.map((k) => [k, clamp(k, s[k])])),
    requireDeclaration: true,
    qualificationRequiredFor: [...DUTIES],
  });
  const save = () =>
    api<IntegritySettings>('/integrity/settings', { method: 'PUT', token: ctx.token, body: body() }).then(
      (x) => (setS(x), setMessage(t.saved)),
      (e: unknown) => setMessage(errorText(e)),
    );
  return (
    <>
      <h2>{t.settings}</h2>
      <div className="people-form" data-testid="integrity-settings">
        {keys.map((k) => (
          <label key={k}>
            {t[k]}
            <input
              type="number"
              min={NUMBERS[k].min}
              max={NUMBERS[k].max}
              step={1}
              value={s[k]}
              disabled={!admin}
              data-testid={`setting-${k}`}
              onChange={(e) => setS({ ...s, [k]: Number(e.target.value) })}
              onBlur={() => setS({ ...s, [k]: clamp(k, s[k]) })}
            />
          </label>
        ))}
        <small className="setting-floor wide">{fill(t.banFloor, { n: NOTICE_ORGANISATION_BAN_YEARS })}</small>
        <label className="wide">
          <span>
            <input type="checkbox" checked disabled data-testid="setting-requireDeclaration" /> {t.requireDeclaration}
          </span>
          <small className="setting-floor">{t.declarationFloor}</small>
        </label>
        <fieldset className="wide">
          <legend>{t.qualificationRequiredFor}</legend>
          {DUTIES.map((d) => (
            <label key={d} style={{ display: 'inline-flex', marginRight: 12 }}>
              <input type="checkbox" checked disabled data-testid={`setting-duty-${d}`} />
              {t.duties[d] ?? d}
            </label>
          ))}
          <small className="setting-floor">{t.qualificationFloor}</small>
        </fieldset>
        {admin && (
          <div className="people-actions">
            <button className="primary" onClick={save}>
              {t.save}
            </button>
            {message && <span>{message}</span>}
          </div>
        )}
      </div>
    </>
  );
}
