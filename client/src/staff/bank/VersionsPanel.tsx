import { useState } from 'react';
import type { BankVersionView, VersionItemsResponse } from '../../../../server/src/protocol';
import { api } from '../../api';
import { download } from '../grading/download';
import { formatTime } from '../SessionListPage';
import { useApi } from '../use-api';
import { shortHash } from './bank-api';
import type { BankText } from './bank-text';

/** Versions of every pool, newest first, with export, item view and retirement. */
export function VersionsPanel({ token, t, onExpired }: { token: string; t: BankText; onExpired: () => void }) {
  const { data, error, reload } = useApi<{ versions: BankVersionView[] }>('/bank/versions', token, onExpired);
  const [open, setOpen] = useState<number | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const run = (p: Promise<unknown>) =>
    p.catch((e: unknown) => setActionError(e instanceof Error ? e.message : String(e)));
  return (
    <section>
      {(error || actionError) && <p className="error">{error ?? actionError}</p>}
      {data && data.versions.length === 0 && <p>{t.empty}</p>}
      {data && data.versions.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t.version}</th>
              <th>{t.category}</th>
              <th>{t.pool}</th>
              <th>{t.items}</th>
              <th>{t.fingerprint}</th>
              <th>{t.createdBy}</th>
              <th>{t.createdAt}</th>
              <th>{t.source}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {data.versions.map((v) => (
              <tr key={v.id}>
                <td>
                  #{v.id} {v.latest && <span className="badge badge-latest">{t.latest}</span>}
                </td>
                <td>
                  {v.category} {v.categoryName}
                </td>
                <td>{v.pool === 'exam' ? t.exam : t.practice}</td>
                <td>{v.itemCount}</td>
                <td>
                  <code title={v.fingerprint}>{shortHash(v.fingerprint)}</code>
                </td>
                <td>{v.createdBy}</td>
                <td>{formatTime(v.createdAt)}</td>
                <td>
                  {v.source}
                  {v.note ? ` · ${v.note}` : ''}
                </td>
                <td className="bank-row-actions">
                  <button className="link" onClick={() => setOpen(open === v.id ? null : v.id)}>
                    {t.view}
                  </button>
                  <button
                    className="link"
                    onClick={() =>
                      void run(download(`/bank/versions/${v.id}/export?format=json`, token, `bank-v${v.id}.json`))
                    }
                  >
                    {t.exportJson}
                  </button>
                  <button
                    className="link"
                    onClick={() =>
                      void run(download(`/bank/versions/${v.id}/export?format=xlsx`, token, `bank-v${v.id}.xlsx`))
                    }
                  >
                    {t.exportXlsx}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open !== null && (
        <VersionItems
          key={open}
          token={token}
          t={t}
          versionId={open}
          onClose={() => setOpen(null)}
          onRetired={(id) => {
            reload();
            setOpen(id);
          }}
        />
      )}
    </section>
  );
}

function VersionItems(props: {
  token: string;
  t: BankText;
  versionId: number;
  onClose: () => void;
  onRetired: (newVersion: number) => void;
}) {
  const { token, t, versionId } = props;
  const { data, error } = useApi<VersionItemsResponse>(`/bank/versions/${versionId}/items`, token, props.onClose);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const [retireError, setRetireError] = useState<string | null>(null);
  const toggle = (h: string) =>
    setSelected((s) => (s.has(h) ? new Set([...s].filter((x) => x !== h)) : new Set([...s, h])));
  const retire = async () => {
    try {
      const res = await api<{ version: BankVersionView }>(`/bank/versions/${versionId}/retire`, {
        token,
        body: { itemHashes: [...selected], reason },
      });
      props.onRetired(res.version.id);
    } catch (e) {
      setRetireError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div className="panel" style={{ marginTop: 16 }}>
      <h2>
        {t.version} #{versionId}{' '}
        <button className="link" onClick={props.onClose}>
          {t.close}
        </button>
      </h2>
      {error && <p className="error">{error}</p>}
      {data?.version.latest && (
        <div className="bank-buttons">
          <input placeholder={t.reason} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
          <button disabled={selected.size === 0 || reason.trim().length < 2} onClick={() => void retire()}>
            {t.retire} ({selected.size})
          </button>
        </div>
      )}
      {retireError && <p className="error">{retireError}</p>}
      {data && (
        <table className="bank-items">
          <thead>
            <tr>
              <th></th>
              <th>ID</th>
              <th>
                {t.type.judge}/{t.type.single}/{t.type.multi}
              </th>
              <th>题干 stem</th>
              <th>{t.knowledgePoint}</th>
              <th>{t.difficulty}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((i) => (
              <tr key={i.contentHash}>
                <td>
                  {data.version.latest && (
                    <input
                      type="checkbox"
                      checked={selected.has(i.contentHash)}
                      onChange={() => toggle(i.contentHash)}
                    />
                  )}
                </td>
                <td>{i.externalId}</td>
                <td>{t.type[i.type]}</td>
                <td>
                  {i.stem}
                  <ol type="A">
                    {i.options.map((o, n) => (
                      <li key={n} className={i.answer.includes(n) ? 'correct' : ''}>
                        {o}
                      </li>
                    ))}
                  </ol>
                </td>
                <td>{i.knowledgePoint}</td>
                <td>{i.difficulty}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
