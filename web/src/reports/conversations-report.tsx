import { type Metric, summary, timeseries } from '../api/reports.js';
import { useLoad } from '../settings/use-load.js';
import { BarChart } from './bar-chart.js';
import { Card, Cards, LoadError } from './card.js';
import { formatDuration } from './range.js';
import { RangeControls, useRangeChoice } from './range-controls.js';

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

/** The change from the previous period of the same length, as a note (none when it had nothing). */
function change(now: number | null | undefined, before: number | null | undefined) {
  if (!now || !before) return undefined;
  const percent = Math.round(((now - before) / before) * 100);
  return `${percent > 0 ? '+' : ''}${percent}% on the previous period`;
}

/** Reports › Conversations: the period's figures and a chart per metric. */
export function ConversationsReport({ accountId }: { accountId: number }) {
  const choice = useRangeChoice();
  const { range, groupBy, business } = choice;
  const deps = [accountId, range.since, range.until, business];
  const figures = useLoad(() => summary(accountId, range, business), deps);
  // the series with the grouping they were read with, so labels never mix an old answer and a new grouping
  const charts = useLoad(
    async () => ({
      groupBy,
      series: await Promise.all(METRICS.map((m) => timeseries(accountId, m.metric, range, groupBy, business))),
    }),
    [...deps, groupBy],
  );

  return (
    <section class="report-section" aria-labelledby="report-title">
      <header class="report-header">
        <h2 id="report-title">Conversations</h2>
      </header>
      <RangeControls choice={choice} grouping businessHours />
      <LoadError errors={[figures.error, charts.error]} />
      {figures.data && (
        <Cards label="Summary">
          {METRICS.map(({ metric, label, time }) => {
            const now = figures.data?.[metric] ?? null;
            return (
              <Card
                key={metric}
                metric={metric}
                label={label}
                value={formatFor(time)(now)}
                raw={now}
                note={change(now, figures.data?.previous[metric])}
              />
            );
          })}
        </Cards>
      )}
      {charts.data && (
        <div class="report-charts" data-group-by={charts.data.groupBy}>
          {METRICS.map(({ metric, label, time }, i) => (
            <BarChart
              key={metric}
              metric={metric}
              title={label}
              points={charts.data?.series[i] ?? []}
              groupBy={charts.data?.groupBy ?? 'day'}
              format={formatFor(time)}
            />
          ))}
        </div>
      )}
    </section>
  );
}
