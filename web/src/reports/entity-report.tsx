import { listAgents, listInboxes, listLabels, listTeams } from '../api/account-data.js';
import { type Entity, entityCsv, entitySummary, type SummaryRow } from '../api/reports.js';
import { Choice } from '../lib/choice.js';
import { navigate, useRoute } from '../lib/router.js';
import { useLoad, useLoaded } from '../lib/use-loaded.js';
import { LoadError, TableHead } from './card.js';
import { ReportHeader } from './download-button.js';
import { MetricReport } from './metric-report.js';
import { formatDuration } from './range.js';
import { RangeControls, useRangeChoice } from './range-controls.js';

/** Each entity's screen: its title, the name column, and how to read the names of its ids. */
export const ENTITIES: Record<
  Entity,
  { title: string; column: string; path: string; file: string; names(accountId: number): Promise<Map<number, string>> }
> = {
  agent: {
    path: 'agents',
    title: 'Agents',
    column: 'Agent',
    file: 'agents_report.csv',
    names: (id) => listAgents(id).then((all) => new Map(all.map((a) => [a.id, a.available_name || a.name]))),
  },
  inbox: {
    path: 'inboxes',
    title: 'Inboxes',
    column: 'Inbox',
    file: 'inboxes_report.csv',
    names: (id) => listInboxes(id).then((all) => new Map(all.map((i) => [i.id, i.name]))),
  },
  label: {
    path: 'labels',
    title: 'Labels',
    column: 'Label',
    file: 'labels_report.csv',
    names: (id) => listLabels(id).then((all) => new Map(all.map((l) => [l.id, l.title]))),
  },
  team: {
    path: 'teams',
    title: 'Teams',
    column: 'Team',
    file: 'teams_report.csv',
    names: (id) => listTeams(id).then((all) => new Map(all.map((t) => [t.id, t.name]))),
  },
};

type Row = SummaryRow & { name?: string };

/** The entity chosen in the address (`?id=`), if any. */
const chosenId = (search: URLSearchParams) => {
  const id = Number(search.get('id'));
  return Number.isInteger(id) && id > 0 ? id : undefined;
};

/**
 * Reports › Agents, Inboxes, Labels or Teams: each one's conversations and times over the period,
 * and the CSV; one of them chosen (the select, or its name in the table: `?id=` in the address,
 * so the view can be linked) shows its own figures and charts, as Chatwoot's AgentReportsShow.
 */
export function EntityReport({ accountId, entity }: { accountId: number; entity: Entity }) {
  const spec = ENTITIES[entity];
  const choice = useRangeChoice();
  const { range, business } = choice;
  const here = `/accounts/${accountId}/reports/${spec.path}`;
  const id = chosenId(useRoute().search);
  const [names] = useLoaded(new Map<number, string>(), () => spec.names(accountId), [accountId, entity]);
  const { data: rows, error } = useLoad(
    (): Promise<Row[]> => entitySummary(accountId, entity, range, business),
    [accountId, entity, range.since, range.until, business],
  );
  const nameOf = (key: number) => names.get(key) ?? `#${key}`;
  const one = spec.column.toLowerCase();

  return (
    <section class="report-section" aria-labelledby="report-title">
      <ReportHeader
        title={spec.title}
        download={{
          label: `Download ${spec.title.toLowerCase()} report`,
          file: spec.file,
          read: () => entityCsv(accountId, entity, range, business),
        }}
      />
      <div class="report-filters">
        <Choice
          label={`Show one ${one}`}
          name="entity"
          value={id}
          placeholder={`All ${spec.title.toLowerCase()}`}
          options={[...names].map(([key, name]) => [key, name])}
          onChange={(v) => navigate(v ? `${here}?id=${v}` : here)}
        />
      </div>
      <RangeControls choice={choice} grouping={id !== undefined} businessHours />
      {id !== undefined ? (
        <section class="report-detail" aria-labelledby="report-detail-title" data-id={id}>
          <h3 id="report-detail-title">{nameOf(id)}</h3>
          <MetricReport
            accountId={accountId}
            choice={choice}
            subject={{ type: entity, id }}
            label={`${nameOf(id)} summary`}
          />
        </section>
      ) : (
        <SummaryTable spec={spec} rows={rows} error={error} nameOf={nameOf} link={(key) => `/app${here}?id=${key}`} />
      )}
    </section>
  );
}

/** Every entity's row over the period, each name a link to its own figures. */
function SummaryTable({
  spec,
  rows,
  error,
  nameOf,
  link,
}: {
  spec: (typeof ENTITIES)[Entity];
  rows: Row[] | undefined;
  error: string;
  nameOf(id: number): string;
  link(id: number): string;
}) {
  return (
    <>
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
                <th scope="row">
                  <a href={link(row.id)}>{row.name ?? nameOf(row.id)}</a>
                </th>
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
    </>
  );
}
