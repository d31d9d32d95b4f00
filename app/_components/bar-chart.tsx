/**
 * A bar chart drawn as plain SVG on the server (no chart library in the browser bundle): one bar
 * per day, stacked or side by side per series, with a legend and the same figures as a table for
 * screen readers and for anyone who wants the numbers. The SVG scales to its container's width.
 */
export type ChartSeries = { key: string; label: string; className: string };
export type ChartRow = { label: string; values: Record<string, number> };

const WIDTH = 640;
const HEIGHT = 180;
const AXIS = 28;

export function BarChart({
  id,
  title,
  series,
  rows,
  stacked = false,
  format,
  emptyText,
  tableLabel,
  dayLabel,
}: {
  id: string;
  title: string;
  series: ChartSeries[];
  rows: ChartRow[];
  stacked?: boolean;
  format: (value: number) => string;
  emptyText: string;
  tableLabel: string;
  dayLabel: string;
}) {
  const total = (r: ChartRow) => series.reduce((sum, s) => sum + (r.values[s.key] ?? 0), 0);
  const peak = Math.max(
    0,
    ...rows.map((r) => (stacked ? total(r) : Math.max(0, ...series.map((s) => r.values[s.key] ?? 0)))),
  );
  const slot = (WIDTH - AXIS) / Math.max(1, rows.length);
  const barWidth = stacked ? slot * 0.7 : (slot * 0.8) / series.length;
  const y = (v: number) => (peak === 0 ? 0 : (v / peak) * (HEIGHT - 16));
  const every = Math.ceil(rows.length / 8);

  return (
    <figure className="chart" aria-labelledby={`${id}-title`} data-testid={`chart-${id}`}>
      <figcaption id={`${id}-title`} className="chart-title">
        {title}
      </figcaption>
      {peak === 0 ? (
        <p className="empty" data-testid="chart-empty">
          {emptyText}
        </p>
      ) : (
        <>
          <svg
            viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`}
            role="img"
            aria-labelledby={`${id}-svg-title`}
            className="chart-svg"
            data-testid="chart-svg"
          >
            <title id={`${id}-svg-title`}>{title}</title>
            <line x1={AXIS} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="chart-axis" />
            <text x={AXIS - 4} y={12} textAnchor="end" className="chart-tick">
              {format(peak)}
            </text>
            <text x={AXIS - 4} y={HEIGHT} textAnchor="end" className="chart-tick">
              0
            </text>
            {rows.map((r, i) => {
              const x0 = AXIS + i * slot + (slot - (stacked ? barWidth : barWidth * series.length)) / 2;
              let base = HEIGHT;
              return (
                <g key={r.label} data-testid="chart-day">
                  {series.map((s, j) => {
                    const v = r.values[s.key] ?? 0;
                    if (v === 0) return null;
                    const h = Math.max(1, y(v));
                    const rect = stacked ? (
                      <rect
                        key={s.key}
                        x={x0}
                        y={base - h}
                        width={barWidth}
                        height={h}
                        className={s.className}
                      />
                    ) : (
                      <rect
                        key={s.key}
                        x={x0 + j * barWidth}
                        y={HEIGHT - h}
                        width={barWidth}
                        height={h}
                        className={s.className}
                      />
                    );
                    if (stacked) base -= h;
                    return rect;
                  })}
                  {i % every === 0 && (
                    <text
                      x={AXIS + i * slot + slot / 2}
                      y={HEIGHT + 14}
                      textAnchor="middle"
                      className="chart-tick"
                    >
                      {r.label}
                    </text>
                  )}
                </g>
              );
            })}
          </svg>
          <ul className="chart-legend">
            {series.map((s) => (
              <li key={s.key}>
                <span className={`chart-swatch ${s.className}`} aria-hidden="true" /> {s.label}
              </li>
            ))}
          </ul>
        </>
      )}
      <details className="chart-table">
        <summary>{tableLabel}</summary>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{dayLabel}</th>
                {series.map((s) => (
                  <th key={s.key} scope="col">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.label}>
                  <th scope="row">{r.label}</th>
                  {series.map((s) => (
                    <td key={s.key}>{format(r.values[s.key] ?? 0)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
