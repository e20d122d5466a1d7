import { ReportHeader } from './download-button.js';
import { MetricReport } from './metric-report.js';
import { RangeControls, useRangeChoice } from './range-controls.js';

/** Reports › Conversations: the account's figures over the period and a chart per metric. */
export function ConversationsReport({ accountId }: { accountId: number }) {
  const choice = useRangeChoice();
  return (
    <section class="report-section" aria-labelledby="report-title">
      <ReportHeader title="Conversations" />
      <RangeControls choice={choice} grouping businessHours />
      <MetricReport accountId={accountId} choice={choice} />
    </section>
  );
}
