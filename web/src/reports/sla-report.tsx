import { useMemo, useState } from 'preact/hooks';
import { listSlaPolicies } from '../api/admin/features.js';
import { type SlaFilters, missedSlas, slaCsv, slaMetrics } from '../api/reports.js';
import { useLoad, useLoaded } from '../lib/use-loaded.js';
import { Card, Cards, LoadError, TableHead } from './card.js';
import { ReportHeader } from './download-button.js';
import { type FilterChoice, FilterChoices, Pager, useAgentInboxTeamFilters, usePage } from './filters.js';
import { RangeControls, useRangeChoice } from './range-controls.js';

const PAGE_SIZE = 25;
/** The misses' names as Chatwoot's SLA table shows them. */
const MISSES = { frt: 'First response', nrt: 'Next response', rt: 'Resolution' } as const;

/**
 * Reports › SLA (accounts with the `sla` feature): applied SLAs and their misses over the period,
 * the hit rate, and the missed ones page by page with their breaches; filters as Chatwoot's
 * SLAReportFilters (agent, inbox, team, policy, label); the CSV is breached_conversation.csv.
 */
export function SlaReport({ accountId }: { accountId: number }) {
  const choice = useRangeChoice();
  const { range } = choice;
  const { agent, inbox, team, choices: people } = useAgentInboxTeamFilters(accountId);
  const [policy, setPolicy] = useState('');
  // the label text as typed, and as applied (on Enter or leaving the field): a request per key is
  // not wanted, and a re-render while typing must not put the applied text back in the field
  const [typed, setTyped] = useState('');
  const [label, setLabel] = useState('');
  const [policies] = useLoaded([], () => listSlaPolicies(accountId), [accountId]);

  const filters: SlaFilters = useMemo(
    () => ({
      since: range.since,
      until: range.until,
      assigned_agent_id: agent ? Number(agent) : undefined,
      inbox_id: inbox ? Number(inbox) : undefined,
      team_id: team ? Number(team) : undefined,
      sla_policy_id: policy ? Number(policy) : undefined,
      label_list: label.trim() || undefined,
    }),
    [range.since, range.until, agent, inbox, team, policy, label],
  );
  const key = JSON.stringify(filters);
  const [page, setPage] = usePage(key);
  const metrics = useLoad(() => slaMetrics(accountId, filters), [accountId, key]);
  const list = useLoad(() => missedSlas(accountId, filters, page), [accountId, key, page]);

  const choices: FilterChoice[] = [
    ...people,
    ['SLA policy', 'sla_policy', policy, 'All SLA policies', policies.map((p) => [p.id, p.name]), setPolicy],
  ];
  const pages = Math.max(1, Math.ceil((list.data?.meta.count ?? 0) / PAGE_SIZE));
  const m = metrics.data;
  return (
    <section class="report-section" aria-labelledby="report-title">
      <ReportHeader
        title="SLA"
        download={{
          label: 'Download SLA report',
          file: 'breached_conversation.csv',
          read: () => slaCsv(accountId, filters),
        }}
      />
      <div class="report-filters">
        <RangeControls choice={choice} />
        <FilterChoices choices={choices} />
        <label>
          Label
          <input
            type="search"
            name="label_list"
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
            onChange={(e) => setLabel(e.currentTarget.value)}
          />
        </label>
      </div>
      <LoadError errors={[metrics.error, list.error]} />
      {m && (
        <Cards label="SLA metrics">
          <Card metric="hit_rate" label="Hit rate" value={m.hit_rate} />
          <Card metric="number_of_sla_misses" label="Misses" value={m.number_of_sla_misses} />
          <Card metric="total_applied_slas" label="Conversations" value={m.total_applied_slas} />
        </Cards>
      )}
      {list.data && (
        <>
          <table class="report-table" aria-label="Missed SLAs">
            <TableHead columns={['Conversation', 'Contact', 'SLA policy', 'Agent', 'Labels', 'Missed']} />
            <tbody>
              {list.data.payload.length === 0 && (
                <tr>
                  <td colSpan={6}>No SLA missed in this period.</td>
                </tr>
              )}
              {list.data.payload.map(({ applied_sla, conversation, sla_events }) => (
                <tr key={applied_sla.id} data-id={applied_sla.id}>
                  <td>
                    <a href={`/app/accounts/${accountId}/conversations/${conversation.id}`}>#{conversation.id}</a>
                  </td>
                  <td>{conversation.contact.name ?? ''}</td>
                  <td data-field="policy">{applied_sla.sla_name}</td>
                  <td>
                    {conversation.assignee ? conversation.assignee.available_name || conversation.assignee.name : '—'}
                  </td>
                  <td>{conversation.labels}</td>
                  <td data-field="missed">{sla_events.map((e) => MISSES[e.event_type] ?? e.event_type).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager label="SLA pages" page={page} pages={pages} onPage={setPage} />
        </>
      )}
    </section>
  );
}
