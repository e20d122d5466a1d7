import { listAgents, listInboxes, listLabels, listTeams } from '../api/account-data.js';
import { type Entity, entityCsv, entitySummary, type SummaryRow } from '../api/reports.js';
import { useLoaded } from '../lib/use-loaded.js';
import { useLoad } from '../settings/use-load.js';
import { LoadError, TableHead } from './card.js';
import { DownloadButton } from './download-button.js';
import { formatDuration } from './range.js';
import { RangeControls, useRangeChoice } from './range-controls.js';

/** Each entity's screen: its title, the name column, and how to read the names of its ids. */
export const ENTITIES: Record<
  Entity,
  { title: string; column: string; file: string; names(accountId: number): Promise<Map<number, string>> }
> = {
  agent: {
    title: 'Agents',
    column: 'Agent',
    file: 'agents_report.csv',
    names: (id) => listAgents(id).then((all) => new Map(all.map((a) => [a.id, a.available_name || a.name]))),
  },
  inbox: {
    title: 'Inboxes',
    column: 'Inbox',
    file: 'inboxes_report.csv',
    names: (id) => listInboxes(id).then((all) => new Map(all.map((i) => [i.id, i.name]))),
  },
  label: {
    title: 'Labels',
    column: 'Label',
    file: 'labels_report.csv',
    names: (id) => listLabels(id).then((all) => new Map(all.map((l) => [l.id, l.title]))),
  },
  team: {
    title: 'Teams',
    column: 'Team',
    file: 'teams_report.csv',
    names: (id) => listTeams(id).then((all) => new Map(all.map((t) => [t.id, t.name]))),
  },
};

type Row = SummaryRow & { name?: string };

/** Reports › Agents, Inboxes, Labels or Teams: each one's conversations and times over the period, and the CSV. */
export function EntityReport({ accountId, entity }: { accountId: number; entity: Entity }) {
  const spec = ENTITIES[entity];
  const choice = useRangeChoice();
  const { range, business } = choice;
  const [names] = useLoaded(new Map<number, string>(), () => spec.names(accountId), [accountId, entity]);
  const { data: rows, error } = useLoad(
    (): Promise<Row[]> => entitySummary(accountId, entity, range, business),
    [accountId, entity, range.since, range.until, business],
  );

  return (
    <section class="report-section" aria-labelledby="report-title">
      <header class="report-header">
        <h2 id="report-title">{spec.title}</h2>
        <DownloadButton
          label={`Download ${spec.title.toLowerCase()} report`}
          file={spec.file}
          read={() => entityCsv(accountId, entity, range, business)}
        />
      </header>
      <RangeControls choice={choice} businessHours />
      <LoadError errors={[error]} />
      {rows && (
        <table class="report-table" aria-label={`${spec.title} summary`}>
          <TableHead
            columns={[
              spec.column,
              'Conversations',
              'Resolved',
              'Avg. first response',
              'Avg. resolution',
              'Avg. reply time',
            ]}
          />
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={6}>Nothing in this period.</td>
              </tr>
            )}
            {rows.map((row) => (
              <tr key={row.id} data-id={row.id}>
                <th scope="row">{row.name ?? names.get(row.id) ?? `#${row.id}`}</th>
                <td data-field="conversations_count">{row.conversations_count}</td>
                <td data-field="resolved_conversations_count">{row.resolved_conversations_count}</td>
                <td data-field="avg_first_response_time">{formatDuration(row.avg_first_response_time)}</td>
                <td data-field="avg_resolution_time">{formatDuration(row.avg_resolution_time)}</td>
                <td data-field="avg_reply_time">{formatDuration(row.avg_reply_time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
