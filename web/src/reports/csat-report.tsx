import { useMemo, useState } from 'preact/hooks';
import { type CsatFilters, csatCsv, csatMetrics, csatResponses } from '../api/reports.js';
import type { ChoiceOption } from '../lib/choice.js';
import { useLoad } from '../lib/use-loaded.js';
import { Card, Cards, LoadError, TableHead } from './card.js';
import { ReportHeader } from './download-button.js';
import { type FilterChoice, FilterChoices, Pager, useAgentInboxTeamFilters, usePage } from './filters.js';
import { RangeControls, useRangeChoice } from './range-controls.js';

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
  const { agent, inbox, team, choices } = useAgentInboxTeamFilters(accountId);
  const [rating, setRating] = useState('');

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
  const key = JSON.stringify(filters);
  const [page, setPage] = usePage(key);

  const { data: metrics, error: metricsError } = useLoad(() => csatMetrics(accountId, filters), [accountId, key]);
  const { data: rows, error: rowsError } = useLoad(
    () => csatResponses(accountId, filters, page),
    [accountId, key, page],
  );

  const filterChoices: FilterChoice[] = [...choices, ['Rating', 'rating', rating, 'All ratings', RATINGS, setRating]];
  const total = metrics?.total_count ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const satisfied = (metrics?.ratings_count['4'] ?? 0) + (metrics?.ratings_count['5'] ?? 0);
  return (
    <section class="report-section" aria-labelledby="report-title">
      <ReportHeader
        title="CSAT"
        download={{
          label: 'Download CSAT responses',
          file: 'csat_report.csv',
          read: () => csatCsv(accountId, filters),
        }}
      />
      <div class="report-filters">
        <RangeControls choice={choice} />
        <FilterChoices choices={filterChoices} />
      </div>
      <LoadError errors={[metricsError, rowsError]} />
      {metrics && (
        <Cards label="CSAT metrics">
          <Card metric="total_count" label="Responses" value={metrics.total_count} />
          <Card metric="satisfaction" label="Satisfaction score" value={percent(satisfied, total)} />
          <Card
            metric="response_rate"
            label="Response rate"
            value={percent(total, metrics.total_sent_messages_count)}
            note={`${metrics.total_sent_messages_count} surveys sent`}
          />
          {RATINGS.map(([value, text]) => (
            <Card
              key={value}
              metric={`rating_${value}`}
              label={text}
              value={metrics.ratings_count[String(value)] ?? 0}
            />
          ))}
        </Cards>
      )}
      {rows && (
        <>
          <table class="report-table" aria-label="CSAT responses">
            <TableHead columns={['Contact', 'Agent', 'Rating', 'Feedback', 'Conversation', 'Date']} />
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
          <Pager label="CSAT pages" page={page} pages={pages} onPage={setPage} />
        </>
      )}
    </section>
  );
}
