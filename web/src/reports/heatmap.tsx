import type { Point } from '../api/reports.js';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** A day's row: its local date and the 24 hourly counts. */
function byDay(points: Point[]) {
  const days = new Map<string, { label: string; counts: number[] }>();
  for (const p of points) {
    const date = new Date(p.timestamp * 1000);
    const key = date.toDateString();
    let day = days.get(key);
    if (!day) {
      day = {
        label: date.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' }),
        counts: HOURS.map(() => 0),
      };
      days.set(key, day);
    }
    day.counts[date.getHours()] = (day.counts[date.getHours()] ?? 0) + (p.value ?? 0);
  }
  return [...days.values()];
}

/**
 * Conversations per local hour as a table (a row a day, a column an hour), each cell shaded by its
 * share of the busiest hour; the count is in the cell's text for screen readers and tests.
 */
export function Heatmap({ points }: { points: Point[] }) {
  const days = byDay(points);
  const max = Math.max(1, ...days.flatMap((d) => d.counts));
  return (
    <div class="heatmap-wrap">
      <table class="heatmap" aria-label="Conversations started per hour, last 7 days">
        <thead>
          <tr>
            <th scope="col">Day</th>
            {HOURS.map((h) => (
              <th scope="col" key={h}>
                <abbr title={`${String(h).padStart(2, '0')}:00`}>{h}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.label}>
              <th scope="row">{day.label}</th>
              {day.counts.map((n, h) => (
                <td key={h} class={`heat-${n === 0 ? 0 : Math.ceil((n / max) * 4)}`} data-hour={h}>
                  {n || ''}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
