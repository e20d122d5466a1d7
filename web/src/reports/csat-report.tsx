import { useEffect, useMemo, useState } from 'preact/hooks';
import { listAgents, listInboxes, listTeams } from '../api/account-data.js';
import {
  type CsatFilters,
  type CsatMetrics,
  type CsatResponse,
  csatCsv,
  csatMetrics,
  csatResponses,
} from '../api/reports.js';
import { Choice, type ChoiceOption } from '../lib/choice.js';
import { useLoaded } from '../lib/use-loaded.js';
import { DownloadButton } from './download-button.js';
import { RangeControls, rangeIsValid, useRangeChoice } from './range-controls.js';

const PAGE_SIZE = 25;
const RATINGS: ChoiceOption[] = [
  [5, '5 – Excellent'],
  [4, '4 – Good'],
  [3, '3 – Neutral'],
  [2, '2 – Bad'],
  [1, '1 – Very bad'],
];

/** Percent with one decimal, or a dash when there is nothing to divide by. */
const percent = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 1000) / 10}%` : '—');

/** Reports › CSAT: responses counted and rated, the response rate, and the responses page by page. */
export function CsatReport({ accountId }: { accountId: number }) {
  const choice = useRangeChoice();
  const { range } = choice;
  const [agent, setAgent] = useState('');
  const [inbox, setInbox] = useState('');
  const [team, setTeam] = useState('');
  const [rating, setRating] = useState('');
  const [metrics, setMetrics] = useState<CsatMetrics | undefined>();
  const [rows, setRows] = useState<CsatResponse[] | undefined>();
  const [error, setError] = useState('');
  const [agents] = useLoaded([], () => listAgents(accountId), [accountId]);
  const [inboxes] = useLoaded([], () => listInboxes(accountId), [accountId]);
  const [teams] = useLoaded([], () => listTeams(accountId), [accountId]);

  const filters: CsatFilters = useMemo(
    () => ({
      since: range.since,
      until: range.until,
      ...(agent ? { user_ids: [Number(agent)] } : {}),
      ...(inbox ? { inbox_id: Number(inbox) } : {}),
      ...(team ? { team_id: Number(team) } : {}),
      ...(rating ? { rating: [Number(rating)] } : {}),
    }),
    [range.since, range.until, agent, inbox, team, rating],
  );
  // the page belongs to the filters it was chosen with: new filters start again from the first page
  const key = JSON.stringify(filters);
  const [paging, setPaging] = useState({ key, page: 1 });
  const page = paging.key === key ? paging.page : 1;
  const setPage = (next: number) => setPaging({ key, page: next });

  useEffect(() => {
    if (!rangeIsValid(range)) return;
    let current = true;
    setError('');
    csatMetrics(accountId, filters)
      .then((m) => current && setMetrics(m))
      .catch((e: Error) => current && setError(e.message));
    return () => {
      current = false;
    };
  }, [accountId, filters]);

  useEffect(() => {
    if (!rangeIsValid(range)) return;
    let current = true;
    csatResponses(accountId, filters, page)
      .then((r) => current && setRows(r))
      .catch((e: Error) => current && setError(e.message));
    return () => {
      current = false;
    };
  }, [accountId, filters, page]);

  const total = metrics?.total_count ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const satisfied = (metrics?.ratings_count['4'] ?? 0) + (metrics?.ratings_count['5'] ?? 0);
  return (
    <section class="report-section" aria-labelledby="report-title">
      <header class="report-header">
        <h2 id="report-title">CSAT</h2>
        <DownloadButton
          label="Download CSAT responses"
          file="csat_report.csv"
          read={() => csatCsv(accountId, filters)}
        />
      </header>
      <div class="report-filters">
        <RangeControls choice={choice} />
        <Choice
          label="Agent"
          name="agent"
          value={agent}
          placeholder="All agents"
          options={agents.map((a) => [a.id, a.available_name || a.name])}
          onChange={setAgent}
        />
        <Choice
          label="Inbox"
          name="inbox"
          value={inbox}
          placeholder="All inboxes"
          options={inboxes.map((i) => [i.id, i.name])}
          onChange={setInbox}
        />
        <Choice
          label="Team"
          name="team"
          value={team}
          placeholder="All teams"
          options={teams.map((t) => [t.id, t.name])}
          onChange={setTeam}
        />
        <Choice
          label="Rating"
          name="rating"
          value={rating}
          placeholder="All ratings"
          options={RATINGS}
          onChange={setRating}
        />
      </div>
      {error && <p role="alert">{error}</p>}
      {metrics && (
        <ul class="report-cards" aria-label="CSAT metrics">
          <li data-metric="total_count">
            <span class="report-card-label">Responses</span>
            <strong class="report-card-value">{metrics.total_count}</strong>
          </li>
          <li data-metric="satisfaction">
            <span class="report-card-label">Satisfaction score</span>
            <strong class="report-card-value">{percent(satisfied, total)}</strong>
          </li>
          <li data-metric="response_rate">
            <span class="report-card-label">Response rate</span>
            <strong class="report-card-value">{percent(total, metrics.total_sent_messages_count)}</strong>
            <span class="report-card-change">{`${metrics.total_sent_messages_count} surveys sent`}</span>
          </li>
          {RATINGS.map(([value, text]) => (
            <li key={value} data-metric={`rating_${value}`}>
              <span class="report-card-label">{text}</span>
              <strong class="report-card-value">{metrics.ratings_count[String(value)] ?? 0}</strong>
            </li>
          ))}
        </ul>
      )}
      {rows && (
        <>
          <table class="report-table" aria-label="CSAT responses">
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">Agent</th>
                <th scope="col">Rating</th>
                <th scope="col">Feedback</th>
                <th scope="col">Conversation</th>
                <th scope="col">Date</th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 && (
                <tr>
                  <td colSpan={6}>No responses in this period.</td>
                </tr>
              )}
              {rows.map((r) => (
                <tr key={r.id} data-id={r.id}>
                  <td>{r.contact?.name ?? ''}</td>
                  <td>{r.assigned_agent ? r.assigned_agent.available_name || r.assigned_agent.name : '—'}</td>
                  <td data-field="rating">{r.rating}</td>
                  <td>{r.feedback_message ?? ''}</td>
                  <td>
                    <a href={`/app/accounts/${accountId}/conversations/${r.conversation_id}`}>#{r.conversation_id}</a>
                  </td>
                  <td>{new Date(r.created_at * 1000).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav class="report-pager" aria-label="CSAT pages">
            <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous page
            </button>
            <span>{`Page ${page} of ${pages}`}</span>
            <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              Next page
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
