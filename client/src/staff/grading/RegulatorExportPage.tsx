import { useState } from 'react';
import { api, ApiError } from '../../api';
import { useT } from '../../i18n';
import { download } from './download';
import { gradingText, todayCst } from './grading-text';
import './grading.css';

type Table = { title: string; columns: string[]; rows: (string | number | null)[][] };

/** The regulator's export of every result in a date range (CSV / Excel) for the provincial platform. */
export function RegulatorExportPage({ token, onExpired }: { token: string; onExpired: () => void }) {
  const { lang } = useT();
  const g = gradingText(lang);
  const today = todayCst();
  const [from, setFrom] = useState(today.slice(0, 8) + '01');
  const [to, setTo] = useState(today);
  const [table, setTable] = useState<Table | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) onExpired();
    else setError(err instanceof Error ? err.message : String(err));
  };
  const q = `from=${from}&to=${to}`;
  return (
    <section className="panel">
      <h1>{g.exports}</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          api<Table>(`/reports/results?${q}`, { token }).then(setTable, fail);
        }}
      >
        <label>
          {g.from} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          {g.to} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button type="submit" className="primary">
          {g.preview}
        </button>
        <button
          type="button"
          onClick={() => download(`/reports/results?${q}&format=csv`, token, `results-${from}-${to}.csv`).catch(fail)}
        >
          {g.exportCsv}
        </button>
        <button
          type="button"
          onClick={() => download(`/reports/results?${q}&format=xlsx`, token, `results-${from}-${to}.xlsx`).catch(fail)}
        >
          {g.exportXlsx}
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      {table && (
        <>
          <p className="meta">
            {table.title} · {table.rows.length} {g.rows}
          </p>
          <div className="scroll-x">
            <table data-testid="regulator-export">
              <thead>
                <tr>
                  {table.columns.slice(0, 13).map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.slice(0, 200).map((r, i) => (
                  <tr key={i}>
                    {r.slice(0, 13).map((v, j) => (
                      <td key={j}>{v ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
