import type { GroupBy, Point } from '../api/reports.js';
import { bucketLabel } from './range.js';

const WIDTH = 640;
const HEIGHT = 160;
const GAP = 2;

/**
 * One metric's timeseries as SVG bars (a few elements per bucket, no chart library), described for
 * screen readers by its label and total, with the numbers in a table under a disclosure.
 */
export function BarChart({
  title,
  points,
  groupBy,
  format,
  metric,
}: {
  title: string;
  points: Point[];
  groupBy: GroupBy;
  format(value: number | null): string;
  metric: string;
}) {
  const values = points.map((p) => p.value ?? 0);
  const max = Math.max(1, ...values);
  const slot = WIDTH / Math.max(1, points.length);
  const barWidth = Math.max(1, slot - GAP);
  const busiest = points[values.indexOf(Math.max(...values, 0))];
  const summary = busiest
    ? `${title}: ${points.length} ${groupBy}s, highest ${format(busiest.value)} on ${bucketLabel(busiest.timestamp, groupBy)}`
    : `${title}: no data`;
  return (
    <figure class="report-chart" data-metric={metric}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={summary}>
        <line x1={0} y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} class="axis" />
        {points.map((p, i) => {
          const h = ((p.value ?? 0) / max) * (HEIGHT - 8);
          return (
            <rect key={p.timestamp} x={i * slot + GAP / 2} y={HEIGHT - h} width={barWidth} height={h}>
              <title>{`${bucketLabel(p.timestamp, groupBy)}: ${format(p.value)}`}</title>
            </rect>
          );
        })}
      </svg>
      <details>
        <summary>Show as table</summary>
        <table class="report-table">
          <thead>
            <tr>
              <th scope="col">{groupBy === 'day' ? 'Day' : `${groupBy[0]?.toUpperCase()}${groupBy.slice(1)}`}</th>
              <th scope="col">{title}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.timestamp} data-timestamp={p.timestamp}>
                <td>{bucketLabel(p.timestamp, groupBy)}</td>
                <td data-value={p.value ?? ''}>{format(p.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
