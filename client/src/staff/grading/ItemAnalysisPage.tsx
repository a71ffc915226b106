import { useState } from 'react';
import type { ItemAnalysis, PassRateRow } from '../../../../server/src/protocol';
import { api, ApiError } from '../../api';
import { useT } from '../../i18n';
import { BarChart, OptionBars } from './BarChart';
import { FLAG_LABELS, gradingText, todayCst } from './grading-text';
import './grading.css';

const TYPE_NAMES: Record<string, [string, string]> = {
  judge: ['判断', 'T/F'],
  single: ['单选', 'single'],
  multi: ['多选', 'multiple'],
};

/** Item analysis for bank keepers: difficulty, discrimination, distractors, score distribution, pass rates. */
export function ItemAnalysisPage({ token, onExpired }: { token: string; onExpired: () => void }) {
  const { lang } = useT();
  const g = gradingText(lang);
  const li = lang === 'en' ? 1 : 0;
  const today = todayCst();
  const [category, setCategory] = useState('N1');
  const [from, setFrom] = useState(`${Number(today.slice(0, 4)) - 1}${today.slice(4)}`);
  const [to, setTo] = useState(today);
  const [onlyFlagged, setOnlyFlagged] = useState(false);
  const [data, setData] = useState<ItemAnalysis | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    api<ItemAnalysis>(`/analysis/items?category=${encodeURIComponent(category)}&from=${from}&to=${to}`, { token }).then(
      setData,
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) onExpired();
        else setError(err instanceof Error ? err.message : String(err));
      },
    );
  };
  const items = data ? data.items.filter((i) => !onlyFlagged || i.flags.length > 0) : [];
  return (
    <section className="panel item-analysis">
      <h1>{g.itemAnalysis}</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <label>
          {g.category}{' '}
          <input
            value={category}
            onChange={(e) => setCategory(e.target.value.toUpperCase())}
            size={4}
            pattern="[A-Z][A-Z0-9]{0,3}"
            required
          />
        </label>
        <label>
          {g.from} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          {g.to} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button type="submit" className="primary">
          {g.preview}
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      {data && (
        <>
          <p className="meta">
            {g.candidates} {data.candidates} · {g.responses} {data.responses} · {data.items.length} items ·{' '}
            {data.items.filter((i) => i.flags.length).length} {g.flags}
          </p>
          <div className="charts">
            <figure>
              <figcaption>{g.histogram}</figcaption>
              <BarChart
                ariaLabel={g.histogram}
                bars={data.histogram.map((b) => ({
                  label: `${b.from}–${b.to}`,
                  value: b.count,
                  highlight: b.from < 70,
                }))}
              />
            </figure>
            <PassRateChart
              title={g.passRateByCategory}
              rows={data.passRates.byCategory}
              suddenLabel={g.suddenChange}
              baselineLabel={g.baseline}
            />
            <PassRateChart
              title={g.passRateByOrg}
              rows={data.passRates.byTrainingOrg}
              suddenLabel={g.suddenChange}
              baselineLabel={g.baseline}
            />
          </div>
          <label className="inline">
            <input type="checkbox" checked={onlyFlagged} onChange={(e) => setOnlyFlagged(e.target.checked)} />{' '}
            {g.onlyFlagged}
          </label>
          <table data-testid="item-stats">
            <thead>
              <tr>
                <th>#</th>
                <th>{lang === 'en' ? 'Item' : '试题'}</th>
                <th className="num">n</th>
                <th className="num">{g.difficulty}</th>
                <th className="num">{g.discrimination}</th>
                <th className="num">{g.upperLower}</th>
                <th>{g.options}</th>
                <th className="num">{g.blank}</th>
                <th>{g.flags}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i, k) => (
                <tr key={i.itemHash} className={i.flags.length ? 'flagged' : ''}>
                  <td>{k + 1}</td>
                  <td className="stem" title={i.itemHash}>
                    <small>
                      {TYPE_NAMES[i.type]?.[li] ?? i.type} · {i.knowledgePoint}
                    </small>
                    <br />
                    {i.stem.length > 60 ? `${i.stem.slice(0, 60)}…` : i.stem}
                  </td>
                  <td className="num">{i.n}</td>
                  <td className="num">{i.difficulty.toFixed(2)}</td>
                  <td className="num">{i.pointBiserial === null ? '—' : i.pointBiserial.toFixed(2)}</td>
                  <td className="num">{i.upperLower === null ? '—' : i.upperLower.toFixed(2)}</td>
                  <td>
                    <OptionBars counts={i.optionCounts} keyOptions={i.key} n={i.n} />
                  </td>
                  <td className="num">{i.blank}</td>
                  <td>
                    {i.flags.map((f) => (
                      <span key={f} className={`flag flag-${f}`}>
                        {FLAG_LABELS[f]?.[li] ?? f}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function PassRateChart({
  title,
  rows,
  suddenLabel,
  baselineLabel,
}: {
  title: string;
  rows: PassRateRow[];
  suddenLabel: string;
  baselineLabel: string;
}) {
  if (!rows.length) return null;
  return (
    <figure>
      <figcaption>
        {title} <span className="flag">■ {suddenLabel} (|z| &gt; 2)</span>
      </figcaption>
      <BarChart
        ariaLabel={title}
        yMax={100}
        unit="%"
        bars={rows.map((r) => ({
          label: `${r.group.slice(0, 4)} ${r.sessionCode.slice(-5)}`,
          value: Math.round(r.rate * 1000) / 10,
          highlight: r.suddenChange,
          title: `${r.group} ${r.sessionCode}: ${Math.round(r.rate * 1000) / 10}% (${r.passed}/${r.candidates})${
            r.baseline
              ? ` · ${baselineLabel} ${Math.round(r.baseline.rate * 1000) / 10}% (n=${r.baseline.candidates}) · z=${r.z ?? '—'}`
              : ''
          }`,
        }))}
      />
    </figure>
  );
}
