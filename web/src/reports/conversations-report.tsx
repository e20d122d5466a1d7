import { useEffect, useState } from 'preact/hooks';
import { type GroupBy, type Metric, type Point, type SummaryFigures, summary, timeseries } from '../api/reports.js';
import { BarChart } from './bar-chart.js';
import { formatDuration } from './range.js';
import { RangeControls, rangeIsValid, useRangeChoice } from './range-controls.js';

/** The metrics of Chatwoot's conversation report, in its order; times are averages in seconds. */
export const METRICS: Array<{ metric: Metric; label: string; time: boolean }> = [
  { metric: 'conversations_count', label: 'Conversations', time: false },
  { metric: 'incoming_messages_count', label: 'Incoming messages', time: false },
  { metric: 'outgoing_messages_count', label: 'Outgoing messages', time: false },
  { metric: 'avg_first_response_time', label: 'First response time', time: true },
  { metric: 'avg_resolution_time', label: 'Resolution time', time: true },
  { metric: 'resolutions_count', label: 'Resolution count', time: false },
  { metric: 'reply_time', label: 'Reply time', time: true },
];

const formatFor = (time: boolean) => (value: number | null) => (time ? formatDuration(value) : String(value ?? 0));

/** The change from the previous period of the same length, in percent (none when it had nothing). */
function change(now: number | null | undefined, before: number | null | undefined) {
  if (!now || !before) return undefined;
  return Math.round(((now - before) / before) * 100);
}

/** Reports › Conversations: the period's figures and a chart per metric. */
export function ConversationsReport({ accountId }: { accountId: number }) {
  const choice = useRangeChoice();
  const { range, groupBy, business } = choice;
  const [figures, setFigures] = useState<SummaryFigures | undefined>();
  // the series with the grouping they were read with, so labels never mix an old answer and a new grouping
  const [shown, setShown] = useState<{ groupBy: GroupBy; series: Partial<Record<Metric, Point[]>> }>();
  const [error, setError] = useState('');

  useEffect(() => {
    if (!rangeIsValid(range)) return;
    let current = true;
    setError('');
    summary(accountId, range, business)
      .then((f) => current && setFigures(f))
      .catch((e: Error) => current && setError(e.message));
    Promise.all(METRICS.map((m) => timeseries(accountId, m.metric, range, groupBy, business)))
      .then(
        (all) =>
          current && setShown({ groupBy, series: Object.fromEntries(METRICS.map((m, i) => [m.metric, all[i]])) }),
      )
      .catch((e: Error) => current && setError(e.message));
    return () => {
      current = false;
    };
  }, [accountId, range.since, range.until, groupBy, business]);

  return (
    <section class="report-section" aria-labelledby="report-title">
      <header class="report-header">
        <h2 id="report-title">Conversations</h2>
      </header>
      <RangeControls choice={choice} grouping businessHours />
      {error && <p role="alert">{error}</p>}
      {figures && (
        <ul class="report-cards" aria-label="Summary">
          {METRICS.map(({ metric, label, time }) => {
            const delta = change(figures[metric], figures.previous[metric]);
            return (
              <li key={metric} data-metric={metric}>
                <span class="report-card-label">{label}</span>
                <strong class="report-card-value" data-value={figures[metric] ?? ''}>
                  {formatFor(time)(figures[metric] ?? null)}
                </strong>
                {delta !== undefined && (
                  <span class="report-card-change">{`${delta > 0 ? '+' : ''}${delta}% on the previous period`}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <div class="report-charts" data-group-by={shown?.groupBy}>
        {METRICS.map(({ metric, label, time }) =>
          shown?.series[metric] ? (
            <BarChart
              key={metric}
              metric={metric}
              title={label}
              points={shown.series[metric] ?? []}
              groupBy={shown.groupBy}
              format={formatFor(time)}
            />
          ) : null,
        )}
      </div>
    </section>
  );
}
