import { useState } from 'react';
import type { CandidateView, OrganisationView } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { useApi } from '../use-api';
import { api, errorText, readPhoto } from './people-api';
import type { PeopleCtx } from './PeopleRoutes';
import { peopleText } from './people-text';

type Form = {
  name: string;
  idNumber: string;
  employerOrgId: string;
  trainingOrgId: string;
  courseFrom: string;
  courseTo: string;
  appliedCategory: string;
  photo?: string | null;
};
const empty: Form = {
  name: '',
  idNumber: '',
  employerOrgId: '',
  trainingOrgId: '',
  courseFrom: '',
  courseTo: '',
  appliedCategory: '',
};

export function CandidatesPage({ ctx, admin }: { ctx: PeopleCtx; admin: boolean }) {
  const { lang } = useT();
  const t = peopleText(lang);
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const list = useApi<{ total: number; candidates: CandidateView[] }>(
    `/people/candidates?q=${encodeURIComponent(q)}&limit=100&offset=${offset}`,
    ctx.token,
    ctx.onExpired,
  );
  const orgs = useApi<{ organisations: OrganisationView[] }>('/people/organisations', ctx.token, ctx.onExpired);
  const [editing, setEditing] = useState<{ id: number | null; form: Form } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const edit = (c: CandidateView) =>
    setEditing({
      id: c.id,
      form: {
        name: c.name,
        idNumber: c.idNumber,
        employerOrgId: c.employerOrgId ? String(c.employerOrgId) : '',
        trainingOrgId: c.trainingOrgId ? String(c.trainingOrgId) : '',
        courseFrom: c.courseFrom ?? '',
        courseTo: c.courseTo ?? '',
        appliedCategory: c.appliedCategory ?? '',
      },
    });
  const save = () => {
    if (!editing) return;
    const f = editing.form;
    const body = {
      name: f.name,
      idNumber: f.idNumber,
      employerOrgId: f.employerOrgId ? Number(f.employerOrgId) : null,
      trainingOrgId: f.trainingOrgId ? Number(f.trainingOrgId) : null,
      courseFrom: f.courseFrom || null,
      courseTo: f.courseTo || null,
      appliedCategory: f.appliedCategory.trim().toUpperCase() || null,
      ...(f.photo !== undefined ? { photo: f.photo } : {}),
    };
    const req =
      editing.id === null
        ? api('/people/candidates', { token: ctx.token, body })
        : api(`/people/candidates/${editing.id}`, { method: 'PUT', token: ctx.token, body });
    req.then(
      () => {
        setEditing(null);
        setError(null);
        list.reload();
      },
      (e: unknown) => setError(errorText(e)),
    );
  };
  const set = (x: Partial<Form>) => editing && setEditing({ ...editing, form: { ...editing.form, ...x } });
  const allOrgs = orgs.data?.organisations ?? [];
  return (
    <>
      <div className="people-actions">
        <input placeholder={t.search} value={q} onChange={(e) => (setQ(e.target.value), setOffset(0))} />
        {admin && (
          <button className="secondary" onClick={() => setEditing({ id: null, form: empty })}>
            {t.create}
          </button>
        )}
        {list.data && (
          <span className="meta">
            {offset + 1}–{Math.min(offset + 100, list.data.total)} / {list.data.total}
            {offset > 0 && (
              <button className="secondary small" onClick={() => setOffset(offset - 100)}>
                ‹
              </button>
            )}
            {offset + 100 < list.data.total && (
              <button className="secondary small" onClick={() => setOffset(offset + 100)}>
                ›
              </button>
            )}
          </span>
        )}
      </div>
      {editing && (
        <div className="people-form">
          <label>
            {t.name}
            <input value={editing.form.name} onChange={(e) => set({ name: e.target.value })} />
          </label>
          <label>
            {t.idNumber}
            <input value={editing.form.idNumber} maxLength={18} onChange={(e) => set({ idNumber: e.target.value })} />
          </label>
          <label>
            {t.employer}
            <select value={editing.form.employerOrgId} onChange={(e) => set({ employerOrgId: e.target.value })}>
              <option value="">—</option>
              {allOrgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.trainingOrg}
            <select value={editing.form.trainingOrgId} onChange={(e) => set({ trainingOrgId: e.target.value })}>
              <option value="">—</option>
              {allOrgs
                .filter((o) => o.kind === 'training')
                .map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
            </select>
          </label>
          <label>
            {t.course} {t.from}
            <input type="date" value={editing.form.courseFrom} onChange={(e) => set({ courseFrom: e.target.value })} />
          </label>
          <label>
            {t.course} {t.to}
            <input type="date" value={editing.form.courseTo} onChange={(e) => set({ courseTo: e.target.value })} />
          </label>
          <label>
            {t.category}
            <input
              value={editing.form.appliedCategory}
              placeholder="N1"
              onChange={(e) => set({ appliedCategory: e.target.value })}
            />
          </label>
          <label>
            {t.photo}
            <input
              type="file"
              accept="image/jpeg,image/png,image/webp"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file)
                  readPhoto(file).then(
                    (photo) => set({ photo }),
                    (err: unknown) => setError(errorText(err)),
                  );
              }}
            />
          </label>
          {error && <p className="error wide">{error}</p>}
          <div className="people-actions wide">
            <button className="primary" onClick={save}>
              {t.save}
            </button>
            <button className="secondary" onClick={() => setEditing(null)}>
              {t.cancel}
            </button>
          </div>
        </div>
      )}
      {list.error && <p className="error">{list.error}</p>}
      <table data-testid="candidates-table">
        <thead>
          <tr>
            <th>{t.name}</th>
            <th>{t.idNumber}</th>
            <th>{t.employer}</th>
            <th>{t.trainingOrg}</th>
            <th>{t.course}</th>
            <th>{t.category}</th>
            <th>{t.photo}</th>
            {admin && <th />}
          </tr>
        </thead>
        <tbody>
          {list.data?.candidates.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{c.idNumber}</td>
              <td>{c.employerName ?? '—'}</td>
              <td>{c.trainingOrgName ?? '—'}</td>
              <td>{c.courseFrom ? `${c.courseFrom} — ${c.courseTo ?? ''}` : '—'}</td>
              <td>{c.appliedCategory ?? '—'}</td>
              <td>{c.hasPhoto ? '✓' : '—'}</td>
              {admin && (
                <td>
                  <button className="secondary small" onClick={() => edit(c)}>
                    {t.edit}
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
