import { useState } from 'react';
import type { SurveyStat, SurveyStats } from '../../../../server/src/protocol';
import { useApi } from '../use-api';
import { todayCst, timeCst, useL, type Ctx } from './conduct-common';

const ASPECTS: {
  key: keyof Pick<SurveyStat, 'service' | 'fairness' | 'equipment' | 'staffConduct'>;
  zh: string;
  en: string;
  color: string;
}[] = [
  { key: 'service', zh: '考场服务', en: 'Service', color: '#3b6fd8' },
  { key: 'fairness', zh: '公平', en: 'Fairness', color: '#2e9d5b' },
  { key: 'equipment', zh: '设备', en: 'Equipment', color: '#d89a2b' },
  { key: 'staffConduct', zh: '工作人员作风', en: 'Staff conduct', color: '#b8433e' },
];

/** Satisfaction by session and by month, as grouped bar charts drawn in SVG (scores 1–5). */
export function SurveyStatsPage({ ctx }: { ctx: Ctx }) {
  const L = useL();
  const today = todayCst();
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const { data, error } = useApi<SurveyStats>(`/conduct/surveys/stats?from=${from}&to=${to}`, ctx.token, ctx.onExpired);
  return (
    <section className="panel conduct-print">
      <h1>{L('满意度调查统计', 'Satisfaction survey statistics')}</h1>
      <div className="filters no-print">
        <label>
          {L('自', 'From')} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {L('至', 'To')} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button onClick={() => window.print()}>{L('打印', 'Print')}</button>
      </div>
      {error && <p className="error">{error}</p>}
      {data && (
        <>
          <p className="meta">
            {L(`共 ${data.total} 份问卷（1–5 分，5 分最满意）`, `${data.total} surveys (1–5, 5 best)`)}
          </p>
          <Legend />
          <h2>{L('按月份', 'By month')}</h2>
          <BarChart stats={data.byMonth} />
          <StatsTable stats={data.byMonth} />
          <h2>{L('按场次', 'By session')}</h2>
          <BarChart stats={data.bySession} />
          <StatsTable stats={data.bySession} />
          {data.comments && data.comments.length > 0 && (
            <>
              <h2>{L('意见和建议', 'Comments')}</h2>
              <ul>
                {data.comments.map((c, i) => (
                  <li key={i}>
                    {timeCst(c.at)} · {c.sessionCode} · {c.comment}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}

function Legend() {
  const L = useL();
  return (
    <p className="chart-legend">
      {ASPECTS.map((a) => (
        <span key={a.key}>
          <i style={{ background: a.color }} /> {L(a.zh, a.en)}
        </span>
      ))}
    </p>
  );
}

function BarChart({ stats }: { stats: SurveyStat[] }) {
  const L = useL();
  if (stats.length === 0) return <p className="meta">{L('无数据', 'No data')}</p>;
  const group = 4 * 14 + 16;
  const h = 160;
  const left = 28;
  const width = left + stats.length * group + 10;
  const y = (v: number) => h - (v / 5) * h + 10;
  return (
    <svg
      className="bar-chart"
      width={width}
      height={h + 50}
      viewBox={`0 0 ${width} ${h + 50}`}
      role="img"
      aria-label={L('满意度柱状图', 'satisfaction bar chart')}
    >
      {[1, 2, 3, 4, 5].map((v) => (
        <g key={v}>
          <line x1={left} x2={width} y1={y(v)} y2={y(v)} stroke="#ddd" />
          <text x={left - 6} y={y(v) + 4} textAnchor="end" fontSize="10">
            {v}
          </text>
        </g>
      ))}
      {stats.map((s, i) => (
        <g key={s.key} transform={`translate(${left + 8 + i * group},0)`}>
          {ASPECTS.map((a, j) => (
            <rect key={a.key} x={j * 14} y={y(s[a.key])} width={12} height={h + 10 - y(s[a.key])} fill={a.color}>
              <title>{`${L(a.zh, a.en)}: ${s[a.key]} (n=${s.count})`}</title>
            </rect>
          ))}
          <text x={28} y={h + 26} textAnchor="middle" fontSize="10">
            {s.label.length > 14 ? `${s.label.slice(0, 13)}…` : s.label}
          </text>
          <text x={28} y={h + 40} textAnchor="middle" fontSize="9" fill="#666">
            n={s.count}
          </text>
        </g>
      ))}
    </svg>
  );
}

function StatsTable({ stats }: { stats: SurveyStat[] }) {
  const L = useL();
  if (stats.length === 0) return null;
  return (
    <table className="conduct-table stats-table">
      <thead>
        <tr>
          <th>{L('分组', 'Group')}</th>
          <th>{L('份数', 'Count')}</th>
          {ASPECTS.map((a) => (
            <th key={a.key}>{L(a.zh, a.en)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {stats.map((s) => (
          <tr key={s.key}>
            <td>{s.label}</td>
            <td>{s.count}</td>
            {ASPECTS.map((a) => (
              <td key={a.key}>{s[a.key].toFixed(2)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
