import type { SortOrder, StatusFilter } from '../api/conversations.js';
import { SORT_ORDERS } from '../api/conversations.js';
import { Choice } from '../lib/choice.js';
import { useLookups } from './lookups.js';
import { type FilterBarProps, SavedFilters } from './saved-filters.js';

const STATUSES: StatusFilter[] = ['open', 'pending', 'snoozed', 'resolved', 'all'];
const title = (word: string) => word[0]!.toUpperCase() + word.slice(1);

/** The sort orders' names, as the dashboard's "Sort by" menu words them. */
const SORT_NAMES: Record<SortOrder, string> = {
  last_activity_at_desc: 'Last activity: newest',
  last_activity_at_asc: 'Last activity: oldest',
  created_at_desc: 'Created: newest',
  created_at_asc: 'Created: oldest',
  priority_desc: 'Priority: highest',
  priority_asc: 'Priority: lowest',
  waiting_since_asc: 'Pending response: longest',
  waiting_since_desc: 'Pending response: shortest',
};

/** Status, inbox, team and label pickers and the sort order above the list; or a saved filter. */
export function ListFilters(props: FilterBarProps) {
  const { accountId, filter, onChange } = props;
  const { inboxes, teams, labels } = useLookups(accountId);
  return (
    <div class="list-filters">
      {filter.saved ? (
        <span class="saved-name">Filter: {filter.saved.name}</span>
      ) : (
        <>
          <Choice
            label="Status"
            value={filter.status}
            options={STATUSES.map((s) => [s, title(s)])}
            onChange={(v) => onChange({ status: v as StatusFilter })}
          />
          {inboxes.length > 1 && (
            <Choice
              label="Inbox"
              value={filter.inboxId}
              placeholder="All inboxes"
              options={inboxes.map((i) => [i.id, i.name])}
              onChange={(v) => onChange({ inboxId: Number(v) || undefined })}
            />
          )}
          {teams.length > 0 && (
            <Choice
              label="Team"
              value={filter.teamId}
              placeholder="All teams"
              options={teams.map((t) => [t.id, t.name])}
              onChange={(v) => onChange({ teamId: Number(v) || undefined })}
            />
          )}
          {labels.length > 0 && (
            <Choice
              label="Label"
              value={filter.label}
              placeholder="Any label"
              options={labels.map((l) => [l.title, l.title])}
              onChange={(v) => onChange({ label: v || undefined })}
            />
          )}
          <Choice
            label="Sort by"
            value={filter.sortBy ?? 'last_activity_at_desc'}
            options={SORT_ORDERS.map((s) => [s, SORT_NAMES[s]])}
            onChange={(v) => onChange({ sortBy: v as SortOrder })}
          />
        </>
      )}
      <SavedFilters {...props} />
    </div>
  );
}
