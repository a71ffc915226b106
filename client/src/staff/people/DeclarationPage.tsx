import { useEffect, useState } from 'react';
import type { DeclarationView, OrganisationView } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { useApi } from '../use-api';
import { api, errorText } from './people-api';
import type { PeopleCtx } from './PeopleRoutes';
import { peopleText } from './people-text';
import { formatDateTime } from '../../time-format';

type Rel = { kind: string; personName: string; personIdNumber: string; orgId: string; note: string };
type Eng = { orgId: string; from: string; to: string; note: string };

/** A staff member declares relationships and training engagements and signs them with their password. */
export function DeclarationPage({ ctx }: { ctx: PeopleCtx }) {
  const { lang } = useT();
  const t = peopleText(lang);
  const history = useApi<{ declarations: DeclarationView[]; statement: string }>(
    '/people/declarations/me',
    ctx.token,
    ctx.onExpired,
  );
  const orgs = useApi<{ organisations: OrganisationView[] }>('/people/organisations', ctx.token, ctx.onExpired);
  const [rels, setRels] = useState<Rel[]>([]);
  const [engs, setEngs] = useState<Eng[]>([]);
  const [confirm, setConfirm] = useState(false);
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const latest = history.data?.declarations[0];

  // Start from the version in force, so a change is an edit of what was declared.
  useEffect(() => {
    if (!latest) return;
    setRels(
      latest.relationships.map((r) => ({
        kind: r.kind,
        personName: r.personName ?? '',
        personIdNumber: r.personIdNumber ?? '',
        orgId: r.orgId ? String(r.orgId) : '',
        note: r.note ?? '',
      })),
    );
    setEngs(
      latest.engagements.map((e) => ({ orgId: String(e.orgId), from: e.from, to: e.to ?? '', note: e.note ?? '' })),
    );
  }, [latest]);

  const sign = () =>
    api('/people/declarations/me', {
      token: ctx.token,
      body: {
        relationships: rels.map((r) => ({
          kind: r.kind,
          personIdNumber: r.personIdNumber.trim() || null,
          personName: r.personName.trim() || null,
          orgId: r.orgId ? Number(r.orgId) : null,
          note: r.note.trim() || null,
        })),
        engagements: engs.map((e) => ({
          orgId: Number(e.orgId),
          from: e.from,
          to: e.to || null,
          note: e.note.trim() || null,
        })),
        confirm,
        password,
      },
    }).then(
      () => {
        setPassword('');
        setConfirm(false);
        setMessage({ ok: true, text: t.saved });
        history.reload();
      },
      (e: unknown) => setMessage({ ok: false, text: errorText(e) }),
    );
  const orgOptions = (filter?: string) =>
    (orgs.data?.organisations ?? [])
      .filter((o) => !filter || o.kind === filter)
      .map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ));
  return (
    <>
      <h2>{t.relationships}</h2>
      {rels.map((r, i) => (
        <div className="people-form" key={i}>
          <label>
            {t.kind}
            <select
              value={r.kind}
              onChange={(e) => setRels(rels.map((x, j) => (j === i ? { ...x, kind: e.target.value } : x)))}
            >
              {Object.entries(t.relKinds).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.name}
            <input
              value={r.personName}
              onChange={(e) => setRels(rels.map((x, j) => (j === i ? { ...x, personName: e.target.value } : x)))}
            />
          </label>
          <label>
            {t.idNumber}
            <input
              value={r.personIdNumber}
              maxLength={18}
              onChange={(e) => setRels(rels.map((x, j) => (j === i ? { ...x, personIdNumber: e.target.value } : x)))}
            />
          </label>
          <label>
            {t.org}
            <select
              value={r.orgId}
              onChange={(e) => setRels(rels.map((x, j) => (j === i ? { ...x, orgId: e.target.value } : x)))}
            >
              <option value="">—</option>
              {orgOptions()}
            </select>
          </label>
          <label>
            {t.note}
            <input
              value={r.note}
              onChange={(e) => setRels(rels.map((x, j) => (j === i ? { ...x, note: e.target.value } : x)))}
            />
          </label>
          <button className="secondary small" onClick={() => setRels(rels.filter((_, j) => j !== i))}>
            {t.remove}
          </button>
        </div>
      ))}
      <button
        className="secondary"
        onClick={() =>
          setRels([...rels, { kind: 'relative', personName: '', personIdNumber: '', orgId: '', note: '' }])
        }
      >
        {t.add}
      </button>
      <h2>{t.engagements}</h2>
      {engs.map((e, i) => (
        <div className="people-form" key={i}>
          <label>
            {t.trainingOrg}
            <select
              value={e.orgId}
              onChange={(ev) => setEngs(engs.map((x, j) => (j === i ? { ...x, orgId: ev.target.value } : x)))}
            >
              <option value="">—</option>
              {orgOptions('training')}
            </select>
          </label>
          <label>
            {t.from}
            <input
              type="date"
              value={e.from}
              onChange={(ev) => setEngs(engs.map((x, j) => (j === i ? { ...x, from: ev.target.value } : x)))}
            />
          </label>
          <label>
            {t.to}
            <input
              type="date"
              value={e.to}
              onChange={(ev) => setEngs(engs.map((x, j) => (j === i ? { ...x, to: ev.target.value } : x)))}
            />
          </label>
          <label>
            {t.note}
            <input
              value={e.note}
              onChange={(ev) => setEngs(engs.map((x, j) => (j === i ? { ...x, note: ev.target.value } : x)))}
            />
          </label>
          <button className="secondary small" onClick={() => setEngs(engs.filter((_, j) => j !== i))}>
            {t.remove}
          </button>
        </div>
      ))}
      <button className="secondary" onClick={() => setEngs([...engs, { orgId: '', from: '', to: '', note: '' }])}>
        {t.add}
      </button>
      <div className="people-form">
        {history.data && <p className="wide">{history.data.statement}</p>}
        <label className="wide">
          <span>
            <input type="checkbox" checked={confirm} onChange={(e) => setConfirm(e.target.checked)} /> {t.confirm}
          </span>
        </label>
        <label>
          {t.password}
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
          />
        </label>
        <button className="primary" disabled={!confirm || !password} onClick={sign} data-testid="sign-declaration">
          {t.sign}
        </button>
        {message && <p className={message.ok ? 'ok wide' : 'error wide'}>{message.text}</p>}
      </div>
      <h2>{t.history}</h2>
      <table>
        <thead>
          <tr>
            <th>{t.version}</th>
            <th>{t.signedAt}</th>
            <th>{t.relationships}</th>
            <th>{t.engagements}</th>
          </tr>
        </thead>
        <tbody>
          {history.data?.declarations.map((d) => (
            <tr key={d.id}>
              <td>v{d.version}</td>
              <td>{formatDateTime(d.signedAt)}</td>
              <td>
                {d.relationships
                  .map((r) => `${t.relKinds[r.kind]} ${r.personName ?? ''}${r.orgName ?? ''}`)
                  .join('；') || t.none}
              </td>
              <td>{d.engagements.map((e) => `${e.orgName} ${e.from}—${e.to ?? ''}`).join('；') || t.none}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
