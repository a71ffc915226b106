import { useState } from 'react';
import type { BankVersionView, BlueprintCheck, BlueprintView } from '../../../../server/src/protocol';
import { api } from '../../api';
import { formatTime } from '../SessionListPage';
import { useApi } from '../use-api';
import { shortHash } from './bank-api';
import type { BankText } from './bank-text';

/** 组卷规则: list, check against an exam version (one or more disjoint papers), save an edit as a new one. */
export function BlueprintPanel({ token, t, onExpired }: { token: string; t: BankText; onExpired: () => void }) {
  const blueprints = useApi<{ blueprints: BlueprintView[] }>('/bank/blueprints', token, onExpired);
  const versions = useApi<{ versions: BankVersionView[] }>('/bank/versions?pool=exam', token, onExpired);
  const [checks, setChecks] = useState<Record<number, BlueprintCheck | string>>({});
  const [chosen, setChosen] = useState<Record<number, number>>({});
  const [papers, setPapers] = useState(2);
  const [editing, setEditing] = useState<{ id: number; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const check = async (b: BlueprintView) => {
    const versionId = chosen[b.id] ?? versions.data?.versions.find((v) => v.category === b.category && v.latest)?.id;
    if (!versionId) return setChecks((c) => ({ ...c, [b.id]: t.empty }));
    try {
      const r = await api<BlueprintCheck>(`/bank/blueprints/${b.id}/check?versionId=${versionId}&papers=${papers}`, {
        token,
      });
      setChecks((c) => ({ ...c, [b.id]: r }));
    } catch (e) {
      setChecks((c) => ({ ...c, [b.id]: e instanceof Error ? e.message : String(e) }));
    }
  };
  const save = async () => {
    if (!editing) return;
    try {
      await api(`/bank/blueprints`, { token, body: JSON.parse(editing.text) as unknown });
      setEditing(null);
      blueprints.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const retire = async (id: number) => {
    try {
      await api(`/bank/blueprints/${id}/retire`, { token, method: 'POST', body: {} });
      blueprints.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section>
      {(blueprints.error || error) && <p className="error">{blueprints.error ?? error}</p>}
      <label>
        {t.papers}{' '}
        <input
          type="number"
          style={{ width: '5em' }}
          min={1}
          max={10}
          value={papers}
          onChange={(e) => setPapers(Math.max(1, Math.min(10, Number(e.target.value) || 1)))}
        />
      </label>
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>{t.blueprint}</th>
            <th>{t.questions}</th>
            <th>{t.duration}</th>
            <th>{t.passMark}</th>
            <th>{t.fingerprint}</th>
            <th>{t.createdAt}</th>
            <th>{t.check}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {blueprints.data?.blueprints.map((b) => {
            const result = checks[b.id];
            return (
              <tr key={b.id}>
                <td>{b.id}</td>
                <td>
                  {b.name} {b.retiredAt && <span className="badge">{t.retired}</span>}
                </td>
                <td>{b.questionCount}</td>
                <td>{b.durationMinutes}</td>
                <td>{b.passMark}</td>
                <td>
                  <code title={b.fingerprint}>{shortHash(b.fingerprint)}</code>
                </td>
                <td>{formatTime(b.createdAt)}</td>
                <td>
                  <select
                    value={chosen[b.id] ?? ''}
                    onChange={(e) => setChosen((c) => ({ ...c, [b.id]: Number(e.target.value) }))}
                  >
                    <option value="">{t.latest}</option>
                    {versions.data?.versions
                      .filter((v) => v.category === b.category)
                      .map((v) => (
                        <option key={v.id} value={v.id}>
                          #{v.id} ({v.itemCount})
                        </option>
                      ))}
                  </select>{' '}
                  <button className="link" onClick={() => void check(b)}>
                    {t.check}
                  </button>
                  {typeof result === 'string' && <div className="error">{result}</div>}
                  {result && typeof result !== 'string' && (
                    <div className={result.satisfiable ? 'meta' : 'shortfalls'}>
                      {result.satisfiable
                        ? `✓ ${t.satisfiable} (${t.version} #${result.versionId}, ×${result.papers})`
                        : `✗ ${t.notSatisfiable}`}
                      {result.shortfalls.map((s) => (
                        <div key={s}>{s}</div>
                      ))}
                    </div>
                  )}
                </td>
                <td className="bank-row-actions">
                  <button
                    className="link"
                    onClick={() => setEditing({ id: b.id, text: JSON.stringify(b.body, null, 2) })}
                  >
                    {t.edit}
                  </button>
                  {!b.retiredAt && (
                    <button className="link" onClick={() => void retire(b.id)}>
                      {t.retireBlueprint}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {editing && (
        <div className="panel" style={{ marginTop: 16 }}>
          <h2>
            {t.blueprint} #{editing.id} → {t.newVersion}
          </h2>
          <textarea
            className="bank-textarea"
            value={editing.text}
            onChange={(e) => setEditing({ ...editing, text: e.target.value })}
          />
          <div className="bank-buttons">
            <button className="primary" onClick={() => void save()}>
              {t.newVersion}
            </button>
            <button onClick={() => setEditing(null)}>{t.close}</button>
          </div>
        </div>
      )}
    </section>
  );
}
