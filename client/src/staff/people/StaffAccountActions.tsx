import { useState } from 'react';
import type { Role, StaffView } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { label, ROLE_NAMES } from '../catalogue';
import { ConfirmAction } from '../components/ConfirmAction';
import { api, errorText } from './people-api';
import type { PeopleCtx } from './PeopleRoutes';
import { fill, peopleText } from './people-text';

// Officials are not offered: their accounts change only by the regulator's grant (the server refuses too).
const INSTITUTION_ROLES: Role[] = ['admin', 'bank_keeper', 'chief_examiner', 'proctor'];

export type OneTimePassword = { name: string; username: string; password: string };

/**
 * An admin's account buttons on one staff row: reset the password, disable or enable, change roles. Each
 * ends the person's logins at once (issue 13, hole 12), so each says so before it is done.
 */
export function StaffAccountActions(props: {
  ctx: PeopleCtx;
  member: StaffView;
  onPassword: (p: OneTimePassword) => void;
  onDone: (message: string) => void;
  onError: (message: string) => void;
  onEditRoles: () => void;
}) {
  const { lang } = useT();
  const t = peopleText(lang);
  const m = props.member;
  if (m.roles.includes('official')) return null;
  const vars = { name: m.name, username: m.username };
  const post = <T,>(path: string) =>
    api<T>(`/people/staff/${m.id}/${path}`, { method: 'POST', token: props.ctx.token });
  const reset = () =>
    post<{ oneTimePassword: string }>('reset-password').then(
      (r) => props.onPassword({ name: m.name, username: m.username, password: r.oneTimePassword }),
      (e: unknown) => props.onError(errorText(e)),
    );
  const toggle = () =>
    post(m.disabled ? 'enable' : 'disable').then(
      () => props.onDone(fill(m.disabled ? t.enabledDone : t.disabledDone, vars)),
      (e: unknown) => props.onError(errorText(e)),
    );
  return (
    <>
      <ConfirmAction
        label={t.resetPassword}
        title={fill(t.resetTitle, vars)}
        consequence={fill(t.resetConsequence, vars)}
        className="secondary small"
        testId={`reset-password-${m.username}`}
        onConfirm={reset}
      />
      <ConfirmAction
        label={m.disabled ? t.enable : t.disable}
        title={fill(m.disabled ? t.enableTitle : t.disableTitle, vars)}
        consequence={fill(m.disabled ? t.enableConsequence : t.disableConsequence, vars)}
        danger={!m.disabled}
        className={m.disabled ? 'secondary small' : 'danger small'}
        testId={`${m.disabled ? 'enable' : 'disable'}-${m.username}`}
        onConfirm={toggle}
      />
      <button className="secondary small" data-testid={`roles-${m.username}`} onClick={props.onEditRoles}>
        {t.changeRoles}
      </button>
    </>
  );
}

/** The one-time password, shown once (it is not kept anywhere the page could show it again). */
export function OneTimePasswordNote({ p, onDismiss }: { p: OneTimePassword; onDismiss: () => void }) {
  const { lang } = useT();
  const t = peopleText(lang);
  return (
    <div className="people-form" data-testid="one-time-password" role="status">
      <p className="wide">
        {fill(t.oneTimeFor, { name: p.name, username: p.username })} <code>{p.password}</code>
      </p>
      <p className="wide">{t.oneTimeNote}</p>
      <div className="people-actions wide">
        <button className="primary" onClick={onDismiss}>
          {t.dismiss}
        </button>
      </div>
    </div>
  );
}

export function RolesForm(props: {
  ctx: PeopleCtx;
  member: StaffView;
  onDone: (m: string) => void;
  onCancel: () => void;
}) {
  const { lang } = useT();
  const t = peopleText(lang);
  const m = props.member;
  const [roles, setRoles] = useState<Role[]>(m.roles.filter((r) => r !== 'official'));
  const [error, setError] = useState<string | null>(null);
  const save = () =>
    api(`/people/staff/${m.id}/roles`, { method: 'PUT', token: props.ctx.token, body: { roles } }).then(
      () => props.onDone(fill(t.rolesDone, { name: m.name })),
      (e: unknown) => setError(errorText(e)),
    );
  return (
    <div className="people-form" data-testid="roles-form">
      <strong className="wide">
        {t.changeRoles}：{m.name}
      </strong>
      <fieldset className="wide">
        <legend>{t.roles}</legend>
        <RoleChecklist roles={roles} onChange={setRoles} />
      </fieldset>
      <p className="wide">{t.rolesNote}</p>
      {error && <p className="error wide">{error}</p>}
      <div className="people-actions wide">
        <button className="primary" onClick={save} disabled={roles.length === 0}>
          {t.save}
        </button>
        <button className="secondary" onClick={props.onCancel}>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}

/** The roles the institution may give (never 监管人员: officials come by the regulator's grant), one box each. */
export function RoleChecklist({ roles, onChange }: { roles: Role[]; onChange: (roles: Role[]) => void }) {
  const { lang } = useT();
  return (
    <>
      {INSTITUTION_ROLES.map((r) => (
        <label key={r} style={{ display: 'inline-flex', marginRight: 12 }}>
          <input
            type="checkbox"
            checked={roles.includes(r)}
            onChange={(e) => onChange(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
          />
          {label(ROLE_NAMES, r, lang === 'en')}
        </label>
      ))}
    </>
  );
}
