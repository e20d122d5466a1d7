import type { ListFilter, SortOrder, StatusFilter } from '../api/conversations.js';
import { SORT_ORDERS } from '../api/conversations.js';
import { useLookups } from './lookups.js';
import { SavedFilters } from './saved-filters.js';

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
export function ListFilters({
  accountId,
  userId,
  filter,
  onChange,
}: {
  accountId: number;
  userId: number;
  filter: ListFilter;
  onChange(change: Partial<ListFilter>): void;
}) {
  const { inboxes, teams, labels } = useLookups(accountId);
  const pick = <T,>(
    label: string,
    value: string | number | undefined,
    any: string,
    options: Array<[string | number, string]>,
    set: (raw: string) => T,
  ) => (
    <select aria-label={label} value={value ?? ''} onChange={(e) => set(e.currentTarget.value)}>
      {any && <option value="">{any}</option>}
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  );

  return (
    <div class="list-filters">
      {filter.saved ? (
        <span class="saved-name">Filter: {filter.saved.name}</span>
      ) : (
        <>
          {pick(
            'Status',
            filter.status,
            '',
            STATUSES.map((s) => [s, title(s)]),
            (v) => onChange({ status: v as StatusFilter }),
          )}
          {inboxes.length > 1 &&
            pick(
              'Inbox',
              filter.inboxId,
              'All inboxes',
              inboxes.map((i) => [i.id, i.name]),
              (v) => onChange({ inboxId: Number(v) || undefined }),
            )}
          {teams.length > 0 &&
            pick(
              'Team',
              filter.teamId,
              'All teams',
              teams.map((t) => [t.id, t.name]),
              (v) => onChange({ teamId: Number(v) || undefined }),
            )}
          {labels.length > 0 &&
            pick(
              'Label',
              filter.label,
              'Any label',
              labels.map((l) => [l.title, l.title]),
              (v) => onChange({ label: v || undefined }),
            )}
          {pick(
            'Sort by',
            filter.sortBy ?? 'last_activity_at_desc',
            '',
            SORT_ORDERS.map((s) => [s, SORT_NAMES[s]]),
            (v) => onChange({ sortBy: v as SortOrder }),
          )}
        </>
      )}
      <SavedFilters accountId={accountId} userId={userId} filter={filter} onChange={onChange} />
    </div>
  );
}
