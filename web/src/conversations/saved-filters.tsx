import { useState } from 'preact/hooks';
import type { FilterCondition, ListFilter } from '../api/conversations.js';
import { deleteSavedFilter, listSavedFilters, type SavedFilter, saveFilter } from '../api/custom-filters.js';
import { useLoaded } from '../lib/use-loaded.js';

/** The list's filter as Chatwoot's filter conditions (what a saved filter stores), joined by `and`. */
export function conditionsOf(filter: ListFilter, userId: number): FilterCondition[] {
  const conditions: FilterCondition[] = [];
  const add = (attribute_key: string, filter_operator: string, values: Array<string | number>) =>
    conditions.push({ attribute_key, filter_operator, values });
  if (filter.status !== 'all') add('status', 'equal_to', [filter.status]);
  if (filter.assigneeType === 'me') add('assignee_id', 'equal_to', [userId]);
  if (filter.assigneeType === 'unassigned') add('assignee_id', 'is_not_present', []);
  if (filter.inboxId) add('inbox_id', 'equal_to', [filter.inboxId]);
  if (filter.teamId) add('team_id', 'equal_to', [filter.teamId]);
  if (filter.label) add('labels', 'equal_to', [filter.label]);
  return conditions.map((c, i) => (i < conditions.length - 1 ? { ...c, query_operator: 'and' } : c));
}

/** What the filter bar above the list is given. */
export interface FilterBarProps {
  accountId: number;
  userId: number;
  filter: ListFilter;
  onChange(change: Partial<ListFilter>): void;
}

/** Saved filters (/custom_filters, filter_type conversation): apply one, save the current filter, delete. */
export function SavedFilters({ accountId, userId, filter, onChange }: FilterBarProps) {
  const [saved, setSaved] = useLoaded<SavedFilter[]>([], () => listSavedFilters(accountId), [accountId]);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const apply = (id: number) => {
    const found = saved.find((f) => f.id === id);
    onChange({ saved: found ? { id: found.id, name: found.name, payload: found.query?.payload ?? [] } : undefined });
  };
  const conditions = conditionsOf(filter, userId);
  const guard = async (work: () => Promise<void>) => {
    setError('');
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div class="saved-filters">
      {saved.length > 0 && (
        <select
          aria-label="Saved filter"
          name="saved-filter"
          value={filter.saved?.id ?? ''}
          onChange={(e) => apply(Number(e.currentTarget.value))}
        >
          <option value="">No saved filter</option>
          {saved.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      )}
      {filter.saved ? (
        <button
          type="button"
          onClick={() =>
            guard(async () => {
              const id = filter.saved!.id;
              await deleteSavedFilter(accountId, id);
              setSaved((now) => now.filter((f) => f.id !== id));
              onChange({ saved: undefined });
            })
          }
        >
          Delete filter
        </button>
      ) : naming ? (
        <form
          class="save-filter"
          onSubmit={(e) => {
            e.preventDefault();
            void guard(async () => {
              const created = await saveFilter(accountId, name.trim(), conditions);
              setSaved((now) => [...now, created]);
              setNaming(false);
              setName('');
              onChange({ saved: { id: created.id, name: created.name, payload: conditions } });
            });
          }}
        >
          <input
            aria-label="Filter name"
            name="filter-name"
            required
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" disabled={conditions.length === 0} onClick={() => setNaming(true)}>
          Save filter
        </button>
      )}
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
