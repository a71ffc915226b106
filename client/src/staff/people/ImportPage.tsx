import { useState } from 'react';
import type { ImportProblem, ImportResult } from '../../../../server/src/protocol';
import { useT } from '../../i18n';
import { errorText, uploadTable } from './people-api';
import type { PeopleCtx } from './PeopleRoutes';
import { fill, peopleText } from './people-text';

/** Downloads a CSV template (it needs the bearer token, so fetched rather than linked). */
async function downloadTemplate(kind: string, token: string): Promise<void> {
  const res = await fetch(`/api/people/import/template/${kind}`, { headers: { authorization: `Bearer ${token}` } });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `${kind}-template.csv`;
  a.click();
  URL.revokeObjectURL(url);
}

/** Upload a CSV or Excel file; every problem comes back with its row and column, and nothing is stored until all are fixed. */
export function TableImport(props: { ctx: PeopleCtx; path: string; kind: string; title: string; onDone?: () => void }) {
  const { ctx, path, kind, title } = props;
  const { lang } = useT();
  const t = peopleText(lang);
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(true);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = () => {
    if (!file) return;
    setBusy(true);
    uploadTable<ImportResult>(path, file, ctx.token, dryRun)
      .then(
        (r) => {
          setResult(r);
          setError(null);
          if (!r.dryRun && r.problems.length === 0) props.onDone?.();
        },
        (e: unknown) => (setResult(null), setError(errorText(e))),
      )
      .finally(() => setBusy(false));
  };
  const ok = result && result.problems.length === 0;
  return (
    <div className="people-form">
      <strong className="wide">{title}</strong>
      <label>
        CSV / Excel (.xlsx)
        <input type="file" accept=".csv,.xlsx,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label>
        <span>
          <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} /> {t.dryRun}
        </span>
      </label>
      <div className="people-actions">
        <button className="primary" disabled={!file || busy} onClick={upload}>
          {t.upload}
        </button>
        <button className="secondary" onClick={() => void downloadTemplate(kind, ctx.token)}>
          {t.template}
        </button>
      </div>
      {error && <p className="error wide">{error}</p>}
      {ok && (
        <p className="ok wide">
          {result.dryRun
            ? fill(t.checkOk, { n: result.created + result.updated })
            : fill(t.importOk, { n: result.imported, c: result.created, u: result.updated })}
        </p>
      )}
      {result?.oneTimePasswords && result.oneTimePasswords.length > 0 && (
        <div className="wide">
          <strong>{t.oneTime}</strong>
          <ul>
            {result.oneTimePasswords.map((p) => (
              <li key={p.username}>
                {p.username}: <code>{p.password}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {result && result.problems.length > 0 && <ProblemRows problems={result.problems} />}
    </div>
  );
}

function ProblemRows({ problems }: { problems: ImportProblem[] }) {
  const { lang } = useT();
  const t = peopleText(lang);
  return (
    <table className="wide" data-testid="import-problems">
      <thead>
        <tr>
          <th>{t.row}</th>
          <th>{t.column}</th>
          <th>{t.problem}</th>
        </tr>
      </thead>
      <tbody>
        {problems.slice(0, 1000).map((p, i) => (
          <tr key={i}>
            <td>{p.row || '—'}</td>
            <td>{p.column}</td>
            <td className="error">{p.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ImportPage({ ctx }: { ctx: PeopleCtx }) {
  const { lang } = useT();
  const t = peopleText(lang);
  return (
    <>
      <TableImport ctx={ctx} path="/people/import/candidates" kind="candidates" title={t.importCandidates} />
      <TableImport ctx={ctx} path="/people/import/staff" kind="staff" title={t.importStaff} />
    </>
  );
}
