import { useState } from 'react';
import type { DisciplinaryInput, OrganisationView, Role, StaffView } from '../../../../server/src/protocol';
import { label, ROLE_NAMES } from '../catalogue';
import { useT } from '../../i18n';
import { useApi } from '../use-api';
import { api, errorText } from './people-api';
import type { PeopleCtx } from './PeopleRoutes';
import { peopleText } from './people-text';
import { todayInCentre } from '../../time-format';
import {
  OneTimePasswordNote,
  RoleChecklist,
  RolesForm,
  StaffAccountActions,
  type OneTimePassword,
} from './StaffAccountActions';

export function StaffListPage({ ctx, admin }: { ctx: PeopleCtx; admin: boolean }) {
  const { lang } = useT();
  const t = peopleText(lang);
  const staff = useApi<{ staff: StaffView[] }>('/people/staff', ctx.token, ctx.onExpired);
  const orgs = useApi<{ organisations: OrganisationView[] }>('/people/organisations', ctx.token, ctx.onExpired);
  const [editing, setEditing] = useState<number | null>(null);
  const [disciplining, setDisciplining] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [roleEditing, setRoleEditing] = useState<number | null>(null);
  const [oneTime, setOneTime] = useState<OneTimePassword | null>(null);
  const today = todayInCentre();

  if (staff.error) return <p className="error">{staff.error}</p>;
  if (!staff.data) return <p>…</p>;
  const done = (m: string) => {
    setMessage(m);
    setError(null);
    setEditing(null);
    setDisciplining(null);
    setRoleEditing(null);
    setCreating(false);
    staff.reload();
  };
  return (
    <>
      {message && <p className="ok">{message}</p>}
      {error && <p className="error">{error}</p>}
      {oneTime && <OneTimePasswordNote p={oneTime} onDismiss={() => setOneTime(null)} />}
      {admin && !creating && (
        <button className="secondary" onClick={() => setCreating(true)}>
          {t.create}
        </button>
      )}
      {creating && (
        <CreateStaff
          ctx={ctx}
          orgs={orgs.data?.organisations ?? []}
          onDone={done}
          onCancel={() => setCreating(false)}
        />
      )}
      <table data-testid="staff-table">
        <thead>
          <tr>
            <th>{t.name}</th>
            <th>{t.roles}</th>
            <th>{t.idNumber}</th>
            <th>{t.employer}</th>
            <th>{t.qualification}</th>
            <th>{t.declared}</th>
            <th>{t.bans}</th>
            {admin && <th />}
          </tr>
        </thead>
        <tbody>
          {staff.data.staff.map((s) => (
            <tr key={s.id} data-testid={`staff-${s.username}`}>
              <td>
                {s.name} <small>{s.username}</small>
                {s.disabled && <span className="badge-ban">{t.accountDisabled}</span>}
              </td>
              <td>{s.roles.map((r) => label(ROLE_NAMES, r, lang === 'en')).join('、')}</td>
              <td>{s.idNumber ?? '—'}</td>
              <td>{s.employerName ?? '—'}</td>
              <td className={s.qualification && s.qualification.validTo < today ? 'error' : ''}>
                {s.qualification
                  ? `${s.qualification.certNo}（${s.qualification.validFrom} — ${s.qualification.validTo}）`
                  : '—'}
              </td>
              <td>{s.declaration ? `v${s.declaration.version}` : t.notDeclared}</td>
              <td>
                {s.employerBarredUntil && (
                  <span className="badge-ban">
                    {t.employer} {t.barredUntil} {s.employerBarredUntil}
                  </span>
                )}
                {s.bans.length === 0
                  ? !s.employerBarredUntil && t.none
                  : s.bans.map((b) => (
                      <span key={b.recordId} className="badge-ban">
                        {t.disciplineKinds[b.kind] ?? b.kind} · {b.documentNo} ·{' '}
                        {b.until ? `${t.until} ${b.until}` : t.permanent}
                      </span>
                    ))}
              </td>
              {admin && (
                <td className="people-actions">
                  <button className="secondary small" onClick={() => setEditing(s.id)}>
                    {t.edit}
                  </button>
                  <button className="secondary small" onClick={() => setDisciplining(s.id)}>
                    {t.recordDisciplinary}
                  </button>
                  <StaffAccountActions
                    ctx={ctx}
                    member={s}
                    onPassword={(p) => (setOneTime(p), done(''))}
                    onDone={done}
                    onError={setError}
                    onEditRoles={() => setRoleEditing(s.id)}
                  />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editing !== null && (
        <ProfileForm
          ctx={ctx}
          member={staff.data.staff.find((s) => s.id === editing) as StaffView}
          orgs={orgs.data?.organisations ?? []}
          onDone={() => done(t.saved)}
          onCancel={() => setEditing(null)}
        />
      )}
      {roleEditing !== null && (
        <RolesForm
          ctx={ctx}
          member={staff.data.staff.find((s) => s.id === roleEditing) as StaffView}
          onDone={done}
          onCancel={() => setRoleEditing(null)}
        />
      )}
      {disciplining !== null && (
        <DisciplinaryForm
          ctx={ctx}
          staffId={disciplining}
          onDone={() => done(t.saved)}
          onCancel={() => setDisciplining(null)}
        />
      )}
    </>
  );
}

type Profile = { idNumber: string; employerOrgId: string; certNo: string; validFrom: string; validTo: string };
const profileBody = (p: Profile) => ({
  idNumber: p.idNumber.trim() || null,
  employerOrgId: p.employerOrgId ? Number(p.employerOrgId) : null,
  qualification: p.certNo.trim() ? { certNo: p.certNo.trim(), validFrom: p.validFrom, validTo: p.validTo } : null,
});

function ProfileFields({ p, set, orgs }: { p: Profile; set: (p: Profile) => void; orgs: OrganisationView[] }) {
  const { lang } = useT();
  const t = peopleText(lang);
  return (
    <>
      <label>
        {t.idNumber}
        <input value={p.idNumber} onChange={(e) => set({ ...p, idNumber: e.target.value })} maxLength={18} />
      </label>
      <label>
        {t.employer}
        <select value={p.employerOrgId} onChange={(e) => set({ ...p, employerOrgId: e.target.value })}>
          <option value="">—</option>
          {orgs.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.certNo}
        <input value={p.certNo} onChange={(e) => set({ ...p, certNo: e.target.value })} />
      </label>
      <label>
        {t.validFrom}
        <input type="date" value={p.validFrom} onChange={(e) => set({ ...p, validFrom: e.target.value })} />
      </label>
      <label>
        {t.validTo}
        <input type="date" value={p.validTo} onChange={(e) => set({ ...p, validTo: e.target.value })} />
      </label>
    </>
  );
}

function ProfileForm(props: {
  ctx: PeopleCtx;
  member: StaffView;
  orgs: OrganisationView[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const { lang } = useT();
  const t = peopleText(lang);
  const m = props.member;
  const [p, setP] = useState<Profile>({
    idNumber: m.idNumber ?? '',
    employerOrgId: m.employerOrgId ? String(m.employerOrgId) : '',
    certNo: m.qualification?.certNo ?? '',
    validFrom: m.qualification?.validFrom ?? '',
    validTo: m.qualification?.validTo ?? '',
  });
  const [error, setError] = useState<string | null>(null);
  const save = () =>
    api(`/people/staff/${m.id}/profile`, { method: 'PUT', token: props.ctx.token, body: profileBody(p) }).then(
      props.onDone,
      (e: unknown) => setError(errorText(e)),
    );
  return (
    <div className="people-form">
      <strong className="wide">
        {t.edit}：{m.name}
      </strong>
      <ProfileFields p={p} set={setP} orgs={props.orgs} />
      {error && <p className="error wide">{error}</p>}
      <div className="people-actions wide">
        <button className="primary" onClick={save}>
          {t.save}
        </button>
        <button className="secondary" onClick={props.onCancel}>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}

function CreateStaff(props: {
  ctx: PeopleCtx;
  orgs: OrganisationView[];
  onDone: (m: string) => void;
  onCancel: () => void;
}) {
  const { lang } = useT();
  const t = peopleText(lang);
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>(['proctor']);
  const [p, setP] = useState<Profile>({ idNumber: '', employerOrgId: '', certNo: '', validFrom: '', validTo: '' });
  const [error, setError] = useState<string | null>(null);
  const save = () =>
    api<{ oneTimePassword: string }>('/people/staff', {
      token: props.ctx.token,
      body: { username, name, roles, ...profileBody(p) },
    }).then(
      (r) => props.onDone(`${username}: ${t.oneTime} ${r.oneTimePassword}`),
      (e: unknown) => setError(errorText(e)),
    );
  return (
    <div className="people-form">
      <label>
        {t.username}
        <input value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        {t.name}
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <fieldset className="wide">
        <legend>{t.roles}</legend>
        <RoleChecklist roles={roles} onChange={setRoles} />
      </fieldset>
      <ProfileFields p={p} set={setP} orgs={props.orgs} />
      {error && <p className="error wide">{error}</p>}
      <div className="people-actions wide">
        <button className="primary" onClick={save}>
          {t.create}
        </button>
        <button className="secondary" onClick={props.onCancel}>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}

function DisciplinaryForm(props: { ctx: PeopleCtx; staffId: number; onDone: () => void; onCancel: () => void }) {
  const { lang } = useT();
  const t = peopleText(lang);
  const [r, setR] = useState<DisciplinaryInput>({
    kind: 'conduct',
    decisionDate: '',
    authority: '',
    documentNo: '',
    summary: '',
  });
  const [error, setError] = useState<string | null>(null);
  const save = () =>
    api(`/people/staff/${props.staffId}/disciplinary`, { token: props.ctx.token, body: r }).then(
      props.onDone,
      (e: unknown) => setError(errorText(e)),
    );
  return (
    <div className="people-form">
      <strong className="wide">{t.recordDisciplinary}</strong>
      <label>
        {t.kind}
        <select value={r.kind} onChange={(e) => setR({ ...r, kind: e.target.value as DisciplinaryInput['kind'] })}>
          {Object.entries(t.disciplineKinds).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </label>
      <RecordFields r={r} set={(x) => setR({ ...r, ...x })} />
      {error && <p className="error wide">{error}</p>}
      <div className="people-actions wide">
        <button className="primary" onClick={save}>
          {t.save}
        </button>
        <button className="secondary" onClick={props.onCancel}>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}

type RecordBody = { decisionDate: string; authority: string; documentNo: string; summary: string };

/** Decision date, authority, document number and summary: what every regulator notice gives. */
export function RecordFields({ r, set }: { r: RecordBody; set: (r: Partial<RecordBody>) => void }) {
  const { lang } = useT();
  const t = peopleText(lang);
  return (
    <>
      <label>
        {t.decisionDate}
        <input type="date" value={r.decisionDate} onChange={(e) => set({ decisionDate: e.target.value })} />
      </label>
      <label>
        {t.authority}
        <input value={r.authority} onChange={(e) => set({ authority: e.target.value })} />
      </label>
      <label>
        {t.documentNo}
        <input value={r.documentNo} onChange={(e) => set({ documentNo: e.target.value })} />
      </label>
      <label className="wide">
        {t.summary}
        <textarea value={r.summary} onChange={(e) => set({ summary: e.target.value })} rows={2} />
      </label>
    </>
  );
}
