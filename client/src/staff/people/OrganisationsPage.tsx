import { useState } from 'react';
import type { OrganisationView, OrgKind } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { useApi } from '../use-api';
import { api, errorText } from './people-api';
import type { PeopleCtx } from './PeopleRoutes';
import { peopleText } from './people-text';
import { RecordFields } from './StaffListPage';

type OrgForm = { id: number | null; name: string; kind: OrgKind; creditCode: string };

export function OrganisationsPage({ ctx, admin }: { ctx: PeopleCtx; admin: boolean }) {
  const { lang } = useT();
  const t = peopleText(lang);
  const list = useApi<{ organisations: OrganisationView[] }>('/people/organisations', ctx.token, ctx.onExpired);
  const [form, setForm] = useState<OrgForm | null>(null);
  const [dishonest, setDishonest] = useState<{
    orgId: number;
    decisionDate: string;
    authority: string;
    documentNo: string;
    summary: string;
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ok = () => {
    setForm(null);
    setDishonest(null);
    setError(null);
    list.reload();
  };
  const saveOrg = () => {
    if (!form) return;
    const body = { name: form.name, kind: form.kind, creditCode: form.creditCode.trim() || null };
    (form.id === null
      ? api('/people/organisations', { token: ctx.token, body })
      : api(`/people/organisations/${form.id}`, { method: 'PUT', token: ctx.token, body })
    ).then(ok, (e: unknown) => setError(errorText(e)));
  };
  const saveRecord = () => {
    if (!dishonest) return;
    const { orgId, ...body } = dishonest;
    api(`/people/organisations/${orgId}/dishonesty`, { token: ctx.token, body }).then(ok, (e: unknown) =>
      setError(errorText(e)),
    );
  };
  return (
    <>
      {admin && (
        <button className="secondary" onClick={() => setForm({ id: null, name: '', kind: 'employer', creditCode: '' })}>
          {t.create}
        </button>
      )}
      {form && (
        <div className="people-form">
          <label>
            {t.name}
            <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <label>
            {t.kind}
            <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as OrgKind })}>
              {Object.entries(t.kinds).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.creditCode}
            <input
              value={form.creditCode}
              maxLength={18}
              onChange={(e) => setForm({ ...form, creditCode: e.target.value })}
            />
          </label>
          <div className="people-actions">
            <button className="primary" onClick={saveOrg}>
              {t.save}
            </button>
            <button className="secondary" onClick={() => setForm(null)}>
              {t.cancel}
            </button>
          </div>
        </div>
      )}
      {dishonest && (
        <div className="people-form">
          <strong className="wide">
            {t.recordDishonesty}：{list.data?.organisations.find((o) => o.id === dishonest.orgId)?.name}
          </strong>
          <RecordFields r={dishonest} set={(x) => setDishonest({ ...dishonest, ...x })} />
          <div className="people-actions wide">
            <button className="primary" onClick={saveRecord}>
              {t.save}
            </button>
            <button className="secondary" onClick={() => setDishonest(null)}>
              {t.cancel}
            </button>
          </div>
        </div>
      )}
      {error && <p className="error">{error}</p>}
      {list.error && <p className="error">{list.error}</p>}
      <table data-testid="organisations-table">
        <thead>
          <tr>
            <th>{t.name}</th>
            <th>{t.kind}</th>
            <th>{t.creditCode}</th>
            <th>{t.barredUntil}</th>
            {admin && <th />}
          </tr>
        </thead>
        <tbody>
          {list.data?.organisations.map((o) => (
            <tr key={o.id}>
              <td>{o.name}</td>
              <td>{t.kinds[o.kind] ?? o.kind}</td>
              <td>{o.creditCode ?? '—'}</td>
              <td>{o.barredUntil ? <span className="badge-ban">{o.barredUntil}</span> : '—'}</td>
              {admin && (
                <td className="people-actions">
                  <button
                    className="secondary small"
                    onClick={() => setForm({ id: o.id, name: o.name, kind: o.kind, creditCode: o.creditCode ?? '' })}
                  >
                    {t.edit}
                  </button>
                  <button
                    className="secondary small"
                    onClick={() =>
                      setDishonest({ orgId: o.id, decisionDate: '', authority: '', documentNo: '', summary: '' })
                    }
                  >
                    {t.recordDishonesty}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
