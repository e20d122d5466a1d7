import { botMetrics, botSummary } from '../api/reports.js';
import { useLoad } from '../lib/use-loaded.js';
import { Card, Cards, LoadError } from './card.js';
import { ReportHeader } from './download-button.js';
import { MetricReport, type MetricSpec } from './metric-report.js';
import { RangeControls, useRangeChoice } from './range-controls.js';

/** The bot report's charts (Chatwoot's BotReports reportKeys), with their figures from bot_summary. */
const BOT_METRICS: MetricSpec[] = [
  { metric: 'bot_resolutions_count', label: 'Bot resolutions', time: false },
  { metric: 'bot_handoffs_count', label: 'Bot handoffs', time: false },
];

/**
 * Reports › Bot: conversations and messages in inboxes with an active bot, its resolution and
 * handoff rates (bot_metrics), then its resolutions and handoffs over time. Chatwoot's sidebar
 * offers it to every account, with or without a bot; it has no business-hours switch.
 */
export function BotReport({ accountId }: { accountId: number }) {
  const choice = useRangeChoice();
  const { range } = choice;
  const metrics = useLoad(() => botMetrics(accountId, range), [accountId, range.since, range.until]);
  const m = metrics.data;
  return (
    <section class="report-section" aria-labelledby="report-title">
      <ReportHeader title="Bot" />
      <RangeControls choice={choice} grouping />
      <LoadError errors={[metrics.error]} />
      {m && (
        <Cards label="Bot metrics">
          <Card metric="conversation_count" label="Conversations" value={m.conversation_count} />
          <Card metric="message_count" label="Messages" value={m.message_count} />
          <Card
            metric="resolution_rate"
            label="Resolution rate"
            value={`${m.resolution_rate}%`}
            raw={m.resolution_rate}
          />
          <Card metric="handoff_rate" label="Handoff rate" value={`${m.handoff_rate}%`} raw={m.handoff_rate} />
        </Cards>
      )}
      <MetricReport
        accountId={accountId}
        choice={choice}
        metrics={BOT_METRICS}
        label="Bot summary"
        readSummary={(r) => botSummary(accountId, r)}
      />
    </section>
  );
}
