// A small SVG bar chart drawn by React: enough for a histogram and pass rates, without a chart library in the
// console bundle.
export type Bar = { label: string; value: number; title?: string; highlight?: boolean };

export function BarChart({
  bars,
  height = 230,
  yMax,
  unit = '',
  ariaLabel,
  line,
}: {
  bars: Bar[];
  height?: number;
  yMax?: number;
  unit?: string;
  ariaLabel: string;
  line?: { value: number; label: string };
}) {
  const barW = Math.max(14, Math.min(48, Math.floor(720 / Math.max(1, bars.length)) - 6));
  const left = 84; // room for the first rotated label
  const bottom = 64;
  const top = 14;
  const width = left + bars.length * (barW + 6) + 10;
  // counts get whole-number ticks (a multiple of 4), percentages the given maximum
  const max = yMax ?? Math.max(4, Math.ceil(Math.max(...bars.map((b) => b.value)) / 4) * 4);
  const plotH = height - top - bottom;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  return (
    <svg
      className="bar-chart"
      width={width}
      height={height}
      role="img"
      aria-label={ariaLabel}
      viewBox={`0 0 ${width} ${height}`}
    >
      {ticks.map((t) => (
        <g key={t}>
          <line x1={left} x2={width - 6} y1={y(t)} y2={y(t)} className="grid" />
          <text x={left - 6} y={y(t) + 4} textAnchor="end" className="tick">
            {Number.isInteger(t) ? t : t.toFixed(1)}
            {unit}
          </text>
        </g>
      ))}
      {bars.map((b, i) => {
        const x = left + 6 + i * (barW + 6);
        return (
          <g key={`${b.label}-${i}`}>
            <rect
              x={x}
              y={y(b.value)}
              width={barW}
              height={Math.max(0, top + plotH - y(b.value))}
              className={b.highlight ? 'bar highlight' : 'bar'}
            >
              <title>{b.title ?? `${b.label}: ${b.value}${unit}`}</title>
            </rect>
            {b.value > 0 && (
              <text x={x + barW / 2} y={y(b.value) - 3} textAnchor="middle" className="value">
                {Math.round(b.value * 10) / 10}
              </text>
            )}
            <text
              x={x + barW / 2}
              y={height - bottom + 14}
              textAnchor="end"
              transform={`rotate(-35 ${x + barW / 2} ${height - bottom + 14})`}
              className="label"
            >
              {b.label.length > 14 ? `${b.label.slice(0, 13)}…` : b.label}
            </text>
          </g>
        );
      })}
      {line && (
        <g>
          <line x1={left} x2={width - 6} y1={y(line.value)} y2={y(line.value)} className="ref-line" />
          <text x={width - 8} y={y(line.value) - 4} textAnchor="end" className="tick">
            {line.label}
          </text>
        </g>
      )}
    </svg>
  );
}

/** Choices per option as a row of tiny bars, the key in green: distractors nobody picks stand out. */
export function OptionBars({ counts, keyOptions, n }: { counts: number[]; keyOptions: number[]; n: number }) {
  const w = 22;
  return (
    <svg width={counts.length * (w + 4)} height={34} role="img" aria-label="option counts">
      {counts.map((c, i) => {
        const h = n ? (c / n) * 22 : 0;
        return (
          <g key={i}>
            <rect
              x={i * (w + 4)}
              y={24 - h}
              width={w}
              height={h}
              className={keyOptions.includes(i) ? 'bar key' : 'bar'}
            >
              <title>{`${String.fromCharCode(65 + i)}: ${c}`}</title>
            </rect>
            <text x={i * (w + 4) + w / 2} y={33} textAnchor="middle" className="tick">
              {String.fromCharCode(65 + i)}
              {c}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
