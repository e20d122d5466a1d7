import { type Metric, type Range, type Subject, type SummaryFigures, summary, timeseries } from '../api/reports.js';
import { useLoad } from '../lib/use-loaded.js';
import { BarChart } from './bar-chart.js';
import { Card, Cards, LoadError } from './card.js';
import { formatDuration } from './range.js';
import type { RangeChoice } from './range-controls.js';

/** A metric a report shows as a card and a chart; times are averages in seconds. */
export interface MetricSpec {
  metric: Metric;
  label: string;
  time: boolean;
}

/** The metrics of Chatwoot's conversation report (and of each agent, inbox, label or team), in its order. */
export const METRICS: MetricSpec[] = [
  { metric: 'conversations_count', label: 'Conversations', time: false },
  { metric: 'incoming_messages_count', label: 'Incoming messages', time: false },
  { metric: 'outgoing_messages_count', label: 'Outgoing messages', time: false },
  { metric: 'avg_first_response_time', label: 'First response time', time: true },
  { metric: 'avg_resolution_time', label: 'Resolution time', time: true },
  { metric: 'resolutions_count', label: 'Resolution count', time: false },
  { metric: 'reply_time', label: 'Reply time', time: true },
];

const ACCOUNT: Subject = { type: 'account' };

const formatFor = (time: boolean) => (value: number | null) => (time ? formatDuration(value) : String(value ?? 0));

/** The change from the previous period of the same length, as a note (none when it had nothing). */
function change(now: number | null | undefined, before: number | null | undefined) {
  if (!now || !before) return undefined;
  const percent = Math.round(((now - before) / before) * 100);
  return `${percent > 0 ? '+' : ''}${percent}% on the previous period`;
}

/**
 * A report's figures over the chosen period (a card per metric, with the change on the previous
 * period) and a chart per metric, for the account or one subject (Chatwoot's ReportContainer).
 * `readSummary` reads the figures another way (the bot report's bot_summary).
 */
export function MetricReport({
  accountId,
  choice,
  subject = ACCOUNT,
  metrics = METRICS,
  label = 'Summary',
  readSummary,
}: {
  accountId: number;
  choice: RangeChoice;
  subject?: Subject;
  metrics?: MetricSpec[];
  label?: string;
  readSummary?: (range: Range) => Promise<SummaryFigures>;
}) {
  const { range, groupBy, business } = choice;
  const id = subject.type === 'account' ? undefined : subject.id;
  const deps = [accountId, subject.type, id, range.since, range.until, business];
  const figures = useLoad(
    () => (readSummary ? readSummary(range) : summary(accountId, range, business, subject)),
    deps,
  );
  // the series with the grouping they were read with, so labels never mix an old answer and a new grouping
  const charts = useLoad(
    async () => ({
      groupBy,
      series: await Promise.all(metrics.map((m) => timeseries(accountId, m.metric, range, groupBy, business, subject))),
    }),
    [...deps, groupBy],
  );

  return (
    <>
      <LoadError errors={[figures.error, charts.error]} />
      {figures.data && (
        <Cards label={label}>
          {metrics.map(({ metric, label, time }) => {
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
          {metrics.map(({ metric, label, time }, i) => (
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
    </>
  );
}
