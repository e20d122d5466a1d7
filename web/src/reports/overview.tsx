import { useEffect, useState } from 'preact/hooks';
import { agentLoads, type LiveMetrics, liveMetrics, timeseries, trafficCsv } from '../api/reports.js';
import { conversations } from '../conversations/store.js';
import { useLoad } from '../lib/use-loaded.js';
import { Card, Cards, LoadError, TableHead } from './card.js';
import { DownloadButton } from './download-button.js';
import { Heatmap } from './heatmap.js';
import { presetRange } from './range.js';

/** How often the live numbers are read again without any event (Chatwoot's overview refreshes on a timer). */
export const REFRESH_MS = 30_000;
/** How long after a conversation event the numbers are read again. */
const LIVE_DELAY_MS = 500;

const CARDS: Array<[keyof LiveMetrics, string]> = [
  ['open', 'Open'],
  ['unattended', 'Unattended'],
  ['unassigned', 'Unassigned'],
  ['pending', 'Pending'],
];

/** Reports › Overview: conversations open now, each agent's load, and the last 7 days' traffic by hour. */
export function Overview({ accountId }: { accountId: number }) {
  const [page, setPage] = useState(1);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), REFRESH_MS);
    // conversation events from /cable land in the conversations store: read the numbers again soon
    // after (once for a burst of events)
    let soon: ReturnType<typeof setTimeout> | undefined;
    const stop = conversations.subscribe(() => {
      clearTimeout(soon);
      soon = setTimeout(() => setTick((t) => t + 1), LIVE_DELAY_MS);
    });
    return () => {
      clearInterval(timer);
      clearTimeout(soon);
      stop();
    };
  }, []);

  const { data: live, error } = useLoad(async () => {
    const week = presetRange('7d', { from: '', to: '' });
    const [metrics, agents, traffic] = await Promise.all([
      liveMetrics(accountId),
      agentLoads(accountId, page),
      timeseries(accountId, 'conversations_count', week, 'hour'),
    ]);
    return { metrics, agents, traffic, at: new Date() };
  }, [accountId, page, tick]);

  return (
    <section class="report-section" aria-labelledby="report-title">
      <header class="report-header">
        <h2 id="report-title">Overview</h2>
        <p class="report-updated" aria-live="polite">
          {live ? `Updated ${live.at.toLocaleTimeString()}` : 'Loading…'}
        </p>
        <button type="button" onClick={() => setTick((t) => t + 1)}>
          Refresh
        </button>
      </header>
      <LoadError errors={[error]} />
      {live && (
        <>
          <Cards label="Conversations now">
            {CARDS.map(([key, label]) => (
              <Card key={key} metric={key} label={label} value={live.metrics[key] ?? 0} />
            ))}
          </Cards>
          <h3>Agents</h3>
          <table class="report-table" aria-label="Conversations by agent">
            <TableHead columns={['Agent', 'Open', 'Unattended', 'Status']} />
            <tbody>
              {live.agents.map((agent) => (
                <tr key={agent.id} data-id={agent.id}>
                  <th scope="row">{agent.name}</th>
                  <td data-field="open">{agent.metric.open}</td>
                  <td data-field="unattended">{agent.metric.unattended}</td>
                  <td>{agent.availability ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {(page > 1 || live.agents.length === 25) && (
            <div class="report-pager">
              <button type="button" disabled={page === 1} onClick={() => setPage(page - 1)}>
                Previous agents
              </button>
              <button type="button" disabled={live.agents.length < 25} onClick={() => setPage(page + 1)}>
                Next agents
              </button>
            </div>
          )}
          <header class="report-header">
            <h3>Conversation traffic</h3>
            <DownloadButton
              label="Download traffic CSV"
              file="conversation_traffic_reports.csv"
              read={() => trafficCsv(accountId, -new Date().getTimezoneOffset() / 60)}
            />
          </header>
          <Heatmap points={live.traffic} />
        </>
      )}
    </section>
  );
}
