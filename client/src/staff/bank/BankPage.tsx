import { useState, type ReactElement } from 'react';
import { useT } from '../../i18n';
import { formatTime } from '../SessionListPage';
import { useApi } from '../use-api';
import { navigate } from '../use-route';
import { bankText, type BankText } from './bank-text';
import { BlueprintPanel } from './BlueprintPanel';
import { ImportPanel } from './ImportPanel';
import { VersionsPanel } from './VersionsPanel';
import './bank.css';

type Ctx = { token: string; roles: string[]; onExpired: () => void };
const KEEPERS = ['bank_keeper', 'admin'];

/** The bank page for /staff/bank (bank keepers and admins only), or null for any other path. */
export function bankPageFor(path: string, ctx: Ctx): ReactElement | null {
  if (path !== '/staff/bank') return null;
  if (!ctx.roles.some((r) => KEEPERS.includes(r))) return <p className="error">requires role: bank_keeper | admin</p>;
  return <BankPage token={ctx.token} onExpired={ctx.onExpired} />;
}

/** The link to the bank page, for the roles that may open it. */
export function BankNav({ roles, base }: { roles: string[]; base: string }) {
  const { lang } = useT();
  if (base !== '/staff' || !roles.some((r) => KEEPERS.includes(r))) return null;
  return (
    <nav className="grading-nav">
      <a
        href="/staff/bank"
        onClick={(e) => {
          e.preventDefault();
          navigate('/staff/bank');
        }}
      >
        {bankText(lang).nav} →
      </a>
    </nav>
  );
}

type Tab = 'import' | 'versions' | 'blueprints' | 'log';

function BankPage({ token, onExpired }: { token: string; onExpired: () => void }) {
  const { lang } = useT();
  const t = bankText(lang);
  const [tab, setTab] = useState<Tab>('import');
  const [imports, setImports] = useState(0);
  const tabs: [Tab, string][] = [
    ['import', t.tabImport],
    ['versions', t.tabVersions],
    ['blueprints', t.tabBlueprints],
    ['log', t.tabLog],
  ];
  return (
    <section className="panel">
      <h1>{t.title}</h1>
      <div className="bank-tabs" role="tablist">
        {tabs.map(([key, label]) => (
          <button
            key={key}
            role="tab"
            aria-selected={tab === key}
            className={tab === key ? 'active' : ''}
            onClick={() => setTab(key)}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'import' && <ImportPanel token={token} t={t} onImported={() => setImports((n) => n + 1)} />}
      {tab === 'versions' && <VersionsPanel key={imports} token={token} t={t} onExpired={onExpired} />}
      {tab === 'blueprints' && <BlueprintPanel token={token} t={t} onExpired={onExpired} />}
      {tab === 'log' && <ImportLog key={imports} token={token} t={t} onExpired={onExpired} />}
    </section>
  );
}

type LogRow = {
  id: number;
  fileName: string;
  format: string | null;
  category: string | null;
  pool: string | null;
  mode: string;
  outcome: string;
  imported: number;
  skipped: number;
  versionId: number | null;
  actor: string;
  finishedAt: number;
};

function ImportLog({ token, t, onExpired }: { token: string; t: BankText; onExpired: () => void }) {
  const { data, error } = useApi<{ imports: LogRow[] }>('/bank/imports', token, onExpired);
  if (error) return <p className="error">{error}</p>;
  if (!data) return null;
  if (!data.imports.length) return <p>{t.empty}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>{t.createdAt}</th>
          <th>{t.createdBy}</th>
          <th>{t.file_}</th>
          <th>{t.category}</th>
          <th>{t.pool}</th>
          <th>{t.mode}</th>
          <th>{t.outcomeCol}</th>
          <th>{t.importedN}</th>
          <th>{t.skippedN}</th>
          <th>{t.version}</th>
        </tr>
      </thead>
      <tbody>
        {data.imports.map((r) => (
          <tr key={r.id}>
            <td>{formatTime(r.finishedAt)}</td>
            <td>{r.actor}</td>
            <td>
              {r.fileName} <span className="meta">{r.format}</span>
            </td>
            <td>{r.category}</td>
            <td>{r.pool === 'exam' ? t.exam : r.pool === 'practice' ? t.practice : ''}</td>
            <td>{r.mode === 'replace' ? t.replace : t.append}</td>
            <td>{t.outcome[r.outcome] ?? r.outcome}</td>
            <td>{r.imported}</td>
            <td>{r.skipped}</td>
            <td>{r.versionId ? `#${r.versionId}` : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
